//! A content-addressed cache of build products, so a rebuild redoes only what changed.
//!
//! Memoisation, not hand-kept invalidation (Zola's partial rebuilds rotted that way): every
//! product is stored under a BLAKE3 hash of *all* of its inputs — a page under the hash of the
//! theme's templates, the template name and the page's complete view; a rendered Markdown body
//! under the hash of its source; the search index under the hash of every document it indexes.
//! A changed input is a different key, so a stale product can never be used. The folder
//! (`.gazette-cache/` in the site root by default) can be deleted at any time; deleting it only
//! makes the next build slower, and the output bytes are the same with or without it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The cache folder, relative to the site root.
pub const DEFAULT_DIR: &str = ".gazette-cache";

/// Bumped whenever what a key means changes, so old entries are never misread.
const VERSION: &str = concat!("gazette-cache-v1-", env!("CARGO_PKG_VERSION"));

/// A 256-bit key.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Key([u8; 32]);

impl Key {
    /// Hashes `parts` (each length-prefixed, so `["ab", "c"]` ≠ `["a", "bc"]`).
    pub fn of(parts: &[&[u8]]) -> Key {
        let mut h = blake3::Hasher::new();
        h.update(VERSION.as_bytes());
        for p in parts {
            h.update(&(p.len() as u64).to_le_bytes());
            h.update(p);
        }
        Key(*h.finalize().as_bytes())
    }

    /// A key built part by part, for inputs too large to gather in memory first.
    pub fn builder() -> KeyBuilder {
        let mut h = blake3::Hasher::new();
        h.update(VERSION.as_bytes());
        KeyBuilder(h)
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// [`Key::of`] one part at a time: `Key::builder().part(a).part(b).finish() == Key::of(&[a, b])`.
pub struct KeyBuilder(blake3::Hasher);

impl KeyBuilder {
    pub fn part(&mut self, p: &[u8]) -> &mut Self {
        self.0.update(&(p.len() as u64).to_le_bytes());
        self.0.update(p);
        self
    }

    pub fn finish(&self) -> Key {
        Key(*self.0.finalize().as_bytes())
    }
}

/// The on-disk store. `None` folder = caching off (every lookup misses, nothing is stored).
pub struct Cache {
    dir: Option<PathBuf>,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
}

impl Cache {
    pub fn new(dir: Option<PathBuf>) -> Cache {
        Cache {
            dir,
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
        }
    }

    pub fn disabled() -> Cache {
        Cache::new(None)
    }

    /// Whether there is a cache folder at all (`--no-cache` builds skip computing keys).
    pub fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    fn path(&self, kind: &str, key: &Key) -> Option<PathBuf> {
        let hex = key.hex();
        self.dir
            .as_ref()
            .map(|d| d.join(kind).join(&hex[..2]).join(&hex[2..]))
    }

    /// The cached bytes for `key`, if present.
    pub fn get(&self, kind: &str, key: &Key) -> Option<Vec<u8>> {
        let found = self.path(kind, key).and_then(|p| std::fs::read(p).ok());
        let counter = if found.is_some() {
            &self.hits
        } else {
            &self.misses
        };
        counter.fetch_add(1, Ordering::Relaxed);
        found
    }

    /// Stores `bytes` under `key`. Failures are ignored: a cache that cannot be written only
    /// costs speed, never correctness. Written to a temporary name and renamed, so a killed
    /// build never leaves a truncated entry behind.
    pub fn put(&self, kind: &str, key: &Key, bytes: &[u8]) {
        self.put_with(kind, key, |out| out.write_all(bytes));
    }

    /// Stores `bytes` under `key` and places them at `dest`: one file with two names (cache and
    /// output), so a clean build writes each page once, not twice. Falls back to writing `dest`
    /// when the cache cannot be written or linked from. (An in-place edit of the output would
    /// reach the cache through the shared file: `output::stamp::intact` finds such an edit and
    /// the build then empties the page cache first.)
    pub fn put_and_place(
        &self,
        kind: &str,
        key: &Key,
        bytes: &[u8],
        dest: &Path,
    ) -> Result<(), crate::diag::Diagnostic> {
        self.put(kind, key, bytes);
        if let Some(parent) = dest.parent() {
            crate::output::fs::create_dir_all(parent)?;
        }
        let linked = self
            .path(kind, key)
            .is_some_and(|src| std::fs::hard_link(src, dest).is_ok());
        if linked {
            Ok(())
        } else {
            crate::output::fs::write(dest, bytes)
        }
    }

    /// Forgets every entry of `kind`.
    pub fn clear(&self, kind: &str) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir.join(kind));
        }
    }

    /// Stores what `write` writes under `key`, streamed to the file (for entries too large to
    /// hold twice in memory). Failures are ignored, as in [`Cache::put`]; the entry appears
    /// under its name only once complete.
    pub fn put_with(
        &self,
        kind: &str,
        key: &Key,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        let Some(path) = self.path(kind, key) else {
            return;
        };
        let Some(parent) = path.parent() else { return };
        if std::fs::create_dir_all(parent).is_err() {
            return;
        }
        let tmp = path.with_extension(format!("tmp{}", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|f| {
            let mut out = std::io::BufWriter::new(f);
            write(&mut out)?;
            out.flush()
        });
        if written.is_err() || std::fs::rename(&tmp, &path).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Places the cached page for `key` at `dest` — a hard link when the filesystem allows (no
    /// bytes copied, see [`Cache::put_and_place`]), else a copy. `false` when there is no such
    /// entry.
    pub fn place(&self, kind: &str, key: &Key, dest: &Path) -> bool {
        let Some(src) = self.path(kind, key) else {
            self.misses.fetch_add(1, Ordering::Relaxed);
            return false;
        };
        if let Some(parent) = dest.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        let ok = std::fs::hard_link(&src, dest).is_ok() || std::fs::copy(&src, dest).is_ok();
        let counter = if ok { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
        ok
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_built_part_by_part_is_the_same_key() {
        let k = Key::builder().part(b"ab").part(b"c").finish();
        assert_eq!(k, Key::of(&[b"ab", b"c"]));
        assert_ne!(k, Key::of(&[b"a", b"bc"]));
    }

    #[test]
    fn keys_separate_their_parts() {
        assert_ne!(Key::of(&[b"ab", b"c"]), Key::of(&[b"a", b"bc"]));
        assert_eq!(Key::of(&[b"x"]), Key::of(&[b"x"]));
    }

    #[test]
    fn stores_and_places_entries() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().join("c")));
        let k = Key::of(&[b"page"]);
        assert_eq!(cache.get("pages", &k), None);
        cache.put("pages", &k, b"<html>");
        assert_eq!(cache.get("pages", &k).as_deref(), Some(&b"<html>"[..]));
        let dest = dir.path().join("out/index.html");
        assert!(cache.place("pages", &k, &dest));
        assert_eq!(std::fs::read(dest).unwrap(), b"<html>");
    }
}
