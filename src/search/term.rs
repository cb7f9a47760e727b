//! One search term, without a heap allocation for the short ones.
//!
//! Tokenizing a Chinese body gives one term per character (its bigram with the next one), so
//! a 10 KB body is some 3 000 terms, and an archive's index build made tens of millions of
//! six-byte `String`s only to look each up once in the term table. A [`Term`] keeps up to 22
//! bytes — every bigram, nearly every word — inline, and longer ones on the heap.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

const INLINE: usize = 22;

#[derive(Clone)]
pub struct Term(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Term {
    /// The text's bytes (no UTF-8 check: what the term table compares and hashes).
    pub fn as_bytes(&self) -> &[u8] {
        match &self.0 {
            Repr::Inline { len, bytes } => &bytes[..usize::from(*len)],
            Repr::Heap(s) => s.as_bytes(),
        }
    }

    pub fn as_str(&self) -> &str {
        match &self.0 {
            // Only ever filled from a whole `&str` (see `From<&str>`), so always UTF-8.
            Repr::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..usize::from(*len)]).unwrap_or_default()
            }
            Repr::Heap(s) => s,
        }
    }
}

impl Default for Term {
    /// The empty term (a placeholder: no tokenizer makes it).
    fn default() -> Term {
        Term(Repr::Inline {
            len: 0,
            bytes: [0; INLINE],
        })
    }
}

impl From<&str> for Term {
    fn from(s: &str) -> Term {
        if s.len() <= INLINE {
            let mut bytes = [0u8; INLINE];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            Term(Repr::Inline {
                len: s.len() as u8,
                bytes,
            })
        } else {
            Term(Repr::Heap(s.into()))
        }
    }
}

impl From<String> for Term {
    fn from(s: String) -> Term {
        if s.len() <= INLINE {
            Term::from(s.as_str())
        } else {
            Term(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl Deref for Term {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

/// Equal and hashed as the text, exactly as a `str` is (its bytes, then `0xFF`), so tables
/// keyed by terms and by strings agree. A term table keyed by `Term` finds a short term
/// without following a pointer to its text: one cache miss per lookup, not two.
impl PartialEq for Term {
    fn eq(&self, other: &Term) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for Term {}

impl Hash for Term {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write(self.as_bytes());
        state.write_u8(0xff);
    }
}

impl PartialEq<&str> for Term {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<str> for Term {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl fmt::Debug for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Term;
    use std::hash::Hash;

    #[test]
    fn short_and_long_terms_keep_their_text() {
        for s in [
            "",
            "政务",
            "𠀀𠀁",
            "abcdefghijklmnopqrstuv",
            "abcdefghijklmnopqrstuvw",
            "一二三四五六七八",
        ] {
            assert_eq!(Term::from(s).as_str(), s);
            assert_eq!(Term::from(s.to_string()), Term::from(s));
        }
    }

    #[test]
    fn terms_hash_like_their_text() {
        use std::collections::HashMap;
        let mut table: HashMap<String, usize> = HashMap::new();
        table.insert("政务".into(), 1);
        table.insert("a".repeat(40), 2);
        assert_eq!(table.get(Term::from("政务").as_str()), Some(&1));
        assert_eq!(table.get(Term::from("a".repeat(40)).as_str()), Some(&2));
        let hash = |v: &dyn Fn(&mut std::hash::DefaultHasher)| {
            let mut h = std::hash::DefaultHasher::new();
            v(&mut h);
            std::hash::Hasher::finish(&h)
        };
        for s in ["政务", "a", &"长".repeat(30)] {
            assert_eq!(hash(&|h| Term::from(s).hash(h)), hash(&|h| s.hash(h)));
        }
    }
}
