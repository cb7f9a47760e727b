//! Embeds the default theme (`themes/default/`) into the binary, so a site needs only
//! `gazette.toml` and `content/`. Generates a sorted list of (path, bytes) pairs.
//!
//! Also hashes the source the binary is built from (`src/`, `schemas/`, the default theme,
//! `build.rs`, `Cargo.toml`, `Cargo.lock`) into `GAZETTE_SOURCE_HASH`: the cache keys everything it keeps
//! with it, so a gazette built from other source never reuses what this one rendered
//! (issue 16: a fixed renderer must not keep publishing its predecessor's pages). The hashing
//! code is `src/cache/identity.rs`, included here and tested in the crate.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // At run time, not `env!`: a target folder copied from another checkout must embed this
    // checkout's theme, not the one the build script was first compiled in.
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&manifest_dir).join("themes/default");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    walk_files(&root, &root, &mut files);
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
    emit_source_hash();
}

/// `GAZETTE_SOURCE_HASH`: the binary's identity, by the code the crate's tests check.
fn emit_source_hash() {
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let manifest = Path::new(&manifest_dir);
    for rel in IDENTITY_DIRS.iter().chain(IDENTITY_FILES.iter()) {
        println!("cargo:rerun-if-changed={}", manifest.join(rel).display());
    }
    println!(
        "cargo:rustc-env=GAZETTE_SOURCE_HASH={}",
        source_hash(manifest)
    );
}

include!("src/cache/identity.rs");
