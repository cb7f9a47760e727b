//! Embeds the default theme (`themes/default/`) into the binary, so a site needs only
//! `gazette.toml` and `content/`. Generates a sorted list of (path, bytes) pairs.
//!
//! Also hashes the source the binary is built from (`src/`, the default theme, `build.rs`,
//! `Cargo.toml`, `Cargo.lock`) into `GAZETTE_SOURCE_HASH`: the cache keys everything it keeps
//! with it, so a gazette built from other source never reuses what this one rendered
//! (issue 16: a fixed renderer must not keep publishing its predecessor's pages).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // At run time, not `env!`: a target folder copied from another checkout must embed this
    // checkout's theme, not the one the build script was first compiled in.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest_dir).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from(
        "/// The default theme's files: (path under the theme, contents).\npub(crate) const DEFAULT_THEME: &[(&str, &[u8])] = &[\n",
    );
    for rel in &files {
        let abs = root.join(rel);
        let _ = writeln!(
            out,
            "    ({rel:?}, include_bytes!({:?})),",
            abs.display().to_string()
        );
    }
    out.push_str("];\n");
    let dest =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("default_theme.rs");
    std::fs::write(dest, out).expect("write default_theme.rs");
    source_hash();
}

/// `GAZETTE_SOURCE_HASH`: 16 hex digits over every source file's path and bytes, in path order.
fn source_hash() {
    use std::hash::Hasher;
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let manifest = Path::new(&manifest_dir);
    let mut files = Vec::new();
    for dir in ["src", "themes/default"] {
        let root = manifest.join(dir);
        println!("cargo:rerun-if-changed={}", root.display());
        let mut found = Vec::new();
        collect(&root, &root, &mut found);
        files.extend(found.into_iter().map(|rel| format!("{dir}/{rel}")));
    }
    for file in ["build.rs", "Cargo.toml", "Cargo.lock"] {
        println!("cargo:rerun-if-changed={}", manifest.join(file).display());
        files.push(file.to_string());
    }
    files.sort();
    // Two differently keyed SipHash runs: 128 bits, from the standard library alone.
    let mut a = std::hash::DefaultHasher::new();
    let mut b = std::hash::DefaultHasher::new();
    b.write(b"gazette source");
    for rel in &files {
        let bytes = std::fs::read(manifest.join(rel)).unwrap_or_default();
        for h in [&mut a, &mut b] {
            h.write(rel.as_bytes());
            h.write_u64(bytes.len() as u64);
            h.write(&bytes);
        }
    }
    println!(
        "cargo:rustc-env=GAZETTE_SOURCE_HASH={:016x}{:016x}",
        a.finish(),
        b.finish()
    );
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        if path.is_dir() {
            collect(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}
