//! The layout of the small records the build keeps in the cache for itself (which pages a
//! replay places, the exported files): numbers as 8 bytes little-endian, byte strings with
//! their length first. Read back strictly: a record that ends early, runs on, or holds a
//! number too large is no record, and its entry a miss.

/// Appends `n` as 8 bytes, little-endian.
pub fn put_number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&(n as u64).to_le_bytes());
}

/// Appends `bytes`, their length first.
pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_number(out, bytes.len());
    out.extend_from_slice(bytes);
}

/// Reads a record written with [`put_number`] and [`put_bytes`], from the front.
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { rest: bytes }
    }

    /// The next `n` bytes.
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.rest.split_at_checked(n)?;
        self.rest = tail;
        Some(head)
    }

    /// The next number.
    pub fn number(&mut self) -> Option<usize> {
        usize::try_from(u64::from_le_bytes(self.take(8)?.try_into().ok()?)).ok()
    }

    /// The next byte string.
    pub fn bytes(&mut self) -> Option<&'a [u8]> {
        let len = self.number()?;
        self.take(len)
    }

    /// The next byte string, as UTF-8 text.
    pub fn text(&mut self) -> Option<String> {
        String::from_utf8(self.bytes()?.to_vec()).ok()
    }

    /// Whether the record ends here, as it must once read.
    pub fn at_end(&self) -> bool {
        self.rest.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_put_reads_back_and_no_further() {
        let mut out = Vec::new();
        put_number(&mut out, 7);
        put_bytes(&mut out, "公报".as_bytes());
        let mut r = Reader::new(&out);
        assert_eq!(r.number(), Some(7));
        assert_eq!(r.text().as_deref(), Some("公报"));
        assert!(r.at_end());
        assert_eq!(r.number(), None);
        let mut short = Reader::new(&out[..out.len() - 1]);
        short.number();
        assert_eq!(short.bytes(), None);
    }
}
