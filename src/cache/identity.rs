// The identity of a gazette binary: a hash of the source it is built from (issue 16: a fixed
// renderer must never keep publishing its predecessor's cached pages).
//
// One file, two users, by `include!`: `build.rs` runs it on the checkout being compiled and
// hands the result to the compiler as `GAZETTE_SOURCE_HASH` (every cache key and stamp starts
// with it, see `src/cache.rs`), and the crate's tests run the very same code on copies of the
// source with bytes changed (`cache::identity_tests`). Only `std`: a build script has no other
// dependencies here. No inner doc comment: `build.rs` includes this text among its own items.

/// The folders whose every file is part of the identity, relative to the package root: the
/// Rust source, the JSON schemas and the default theme, all compiled in.
pub(crate) const IDENTITY_DIRS: [&str; 3] = ["schemas", "src", "themes/default"];

/// The single files that are part of it.
pub(crate) const IDENTITY_FILES: [&str; 3] = ["build.rs", "Cargo.toml", "Cargo.lock"];

/// 32 hex digits over every identity file's path, length and bytes, in path order: a changed,
/// added, removed or renamed file changes it. Two differently keyed SipHash runs (128 bits)
/// from the standard library alone. A missing file counts as empty.
pub(crate) fn source_hash(root: &std::path::Path) -> String {
    use std::hash::Hasher;
    let mut a = std::hash::DefaultHasher::new();
    let mut b = std::hash::DefaultHasher::new();
    b.write(b"gazette source");
    for rel in source_files(root) {
        let bytes = std::fs::read(root.join(&rel)).unwrap_or_default();
        for h in [&mut a, &mut b] {
            h.write(rel.as_bytes());
            h.write_u64(bytes.len() as u64);
            h.write(&bytes);
        }
    }
    format!("{:016x}{:016x}", a.finish(), b.finish())
}

/// Every file [`source_hash`] reads, relative to `root` with `/` separators, sorted. Files and
/// folders whose names start with a dot (editor swap files, `.DS_Store`) are not source.
pub(crate) fn source_files(root: &std::path::Path) -> Vec<String> {
    let mut files: Vec<String> = IDENTITY_FILES.iter().map(|f| f.to_string()).collect();
    for dir in IDENTITY_DIRS {
        let base = root.join(dir);
        let mut found = Vec::new();
        walk_files(&base, &base, &mut found);
        files.extend(found.into_iter().map(|rel| format!("{dir}/{rel}")));
    }
    files.sort();
    files
}

/// The files under `dir`, relative to `base` with `/` separators, skipping dot names.
pub(crate) fn walk_files(base: &std::path::Path, dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        if path.is_dir() {
            walk_files(base, &path, out);
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
