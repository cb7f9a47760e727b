//! The hash a model value is known by in the site's key (`session/model_key.rs`): the BLAKE3
//! hash of its JSON. A document's is made when its file is checked and kept with the check
//! (`validate::memo`), so a rebuild does not serialise 10 000 unchanged documents again to
//! hash them.

/// The BLAKE3 hash of `value` as JSON, streamed.
pub(crate) fn json_hash(value: &impl serde::Serialize) -> [u8; 32] {
    let mut h = Hashing(blake3::Hasher::new());
    // Serialising a model type cannot fail (no maps with non-string keys); were it to, the
    // error and the time are hashed instead, and the key never repeats.
    if let Err(e) = serde_json::to_writer(&mut h, value) {
        h.0.update(format!("{e}{:?}", std::time::SystemTime::now()).as_bytes());
    }
    *h.0.finalize().as_bytes()
}

/// Feeds what is written to a hasher.
struct Hashing(blake3::Hasher);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
