//! The binary's identity (issue 16), proven without compiling gazette twice: the identity this
//! binary was compiled with is [`source_hash`] of its own checkout (the very code `build.rs`
//! runs); that hash covers every file the compiler reads into the binary and changes with any
//! byte of them; and it starts every cache key. That a cache written under one identity is
//! rebuilt by a binary of another is proven on the real binary, patched to another identity:
//! `hostile::cache::a_binary_of_other_source_rebuilds_instead_of_reusing_the_cache`.

use std::collections::BTreeSet;
use std::path::Path;

use proptest::prelude::*;

use super::identity::{IDENTITY_DIRS, IDENTITY_FILES, source_files, source_hash};
use super::{Key, VERSION};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_compiled_identity_is_the_hash_of_this_checkout() {
    assert_eq!(
        source_hash(manifest()),
        env!("GAZETTE_SOURCE_HASH"),
        "build.rs and the crate disagree (or a file changed since this test was compiled)"
    );
    assert!(VERSION.ends_with(concat!("-", env!("GAZETTE_SOURCE_HASH"))));
    assert_eq!(env!("GAZETTE_SOURCE_HASH").len(), 32);
}

/// Every file a non-test `include_str!`/`include_bytes!` of `src/` reads, relative to the root
/// (the text of each file up to its `#[cfg(test)]` module).
fn included_files(root: &Path) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    for rel in source_files(root).iter().filter(|f| f.ends_with(".rs")) {
        let text = std::fs::read_to_string(root.join(rel)).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for macro_call in ["include_str!(\"", "include_bytes!(\""] {
            for (at, _) in code.match_indices(macro_call) {
                let rest = &code[at + macro_call.len()..];
                let target = &rest[..rest.find('"').unwrap()];
                let dir = root.join(rel);
                let path = dir.parent().unwrap().join(target).canonicalize().unwrap();
                let path = path.strip_prefix(root.canonicalize().unwrap()).unwrap();
                found.insert(path.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    found
}

#[test]
fn the_identity_covers_every_file_compiled_into_the_binary() {
    let files: BTreeSet<String> = source_files(manifest()).into_iter().collect();
    // The Rust source, the build script, the locked dependencies, the theme that is embedded.
    for must in [
        "src/main.rs",
        "src/cache.rs",
        "build.rs",
        "Cargo.lock",
        "Cargo.toml",
    ] {
        assert!(files.contains(must), "{must}");
    }
    let theme = files
        .iter()
        .filter(|f| f.starts_with("themes/default/"))
        .count();
    assert!(theme > 10, "the default theme's files: {theme}");
    // Every file read into the binary by `include_str!` or `include_bytes!` (the schemas, the
    // live-reload script, the 繁简 table of the search script …).
    let included = included_files(manifest());
    assert!(included.len() >= 8, "{included:?}");
    for file in &included {
        assert!(
            files.contains(file),
            "{file} is compiled into gazette but not part of its identity"
        );
    }
}

/// A copy of the checkout's identity files in a temporary folder.
fn copy_of_source() -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().unwrap();
    let files = source_files(manifest());
    for rel in &files {
        let dest = dir.path().join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(manifest().join(rel), &dest).unwrap();
    }
    (dir, files)
}

#[test]
fn adding_removing_renaming_or_moving_bytes_between_files_changes_the_identity() {
    let (copy, files) = copy_of_source();
    let root = copy.path();
    let original = source_hash(root);
    assert_eq!(
        original,
        env!("GAZETTE_SOURCE_HASH"),
        "the copy is complete"
    );
    let mut seen = BTreeSet::from([original.clone()]);
    let mut changed = |what: &str, change: &dyn Fn(), undo: &dyn Fn()| {
        change();
        let h = source_hash(root);
        assert!(seen.insert(h), "{what} did not change the identity");
        undo();
        assert_eq!(source_hash(root), original, "{what} undone");
    };
    let new_file = root.join("src/new.rs");
    changed(
        "a new file in src/",
        &|| std::fs::write(&new_file, "").unwrap(),
        &|| std::fs::remove_file(&new_file).unwrap(),
    );
    let theme_file = root.join("themes/default/templates/new.html");
    changed(
        "a new file in the theme",
        &|| std::fs::write(&theme_file, "x").unwrap(),
        &|| std::fs::remove_file(&theme_file).unwrap(),
    );
    let some = root.join("src/cache.rs");
    let bytes = std::fs::read(&some).unwrap();
    changed(
        "a removed file",
        &|| std::fs::remove_file(&some).unwrap(),
        &|| std::fs::write(&some, &bytes).unwrap(),
    );
    let renamed = root.join("src/cache2.rs");
    changed(
        "a renamed file",
        &|| std::fs::rename(&some, &renamed).unwrap(),
        &|| std::fs::rename(&renamed, &some).unwrap(),
    );
    // The last byte of one file moved to the start of the next one.
    let (a, b) = (root.join(&files[0]), root.join(&files[1]));
    let (a0, b0) = (std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    changed(
        "a byte moved from one file to the next",
        &|| {
            let (last, rest) = a0.split_last().unwrap();
            std::fs::write(&a, rest).unwrap();
            std::fs::write(&b, [&[*last][..], &b0].concat()).unwrap();
        },
        &|| {
            std::fs::write(&a, &a0).unwrap();
            std::fs::write(&b, &b0).unwrap();
        },
    );
    for dir in IDENTITY_DIRS {
        assert!(root.join(dir).is_dir(), "{dir}");
    }
    for file in IDENTITY_FILES {
        assert!(files.iter().any(|f| f == file), "{file}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Any byte of any identity file, changed to any other value, changes the identity.
    #[test]
    fn any_changed_byte_of_the_source_changes_the_identity(
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        flip in 1u8..=255,
    ) {
        let (copy, files) = copy_of_source();
        let root = copy.path();
        let before = source_hash(root);
        let nonempty: Vec<&String> = files
            .iter()
            .filter(|f| std::fs::metadata(root.join(f)).is_ok_and(|m| m.len() > 0))
            .collect();
        let file = root.join(nonempty[which.index(nonempty.len())]);
        let mut bytes = std::fs::read(&file).unwrap();
        let i = at.index(bytes.len());
        bytes[i] ^= flip;
        std::fs::write(&file, &bytes).unwrap();
        prop_assert_ne!(source_hash(root), before);
    }
}

#[test]
fn every_key_starts_with_the_identity() {
    let other = VERSION.replace(env!("GAZETTE_SOURCE_HASH"), &"0".repeat(32));
    assert_ne!(other, VERSION);
    let parts: [&[u8]; 2] = [b"page", b"<view>"];
    let ours = Key::of(&parts);
    let mut theirs = Key::builder_for(&other);
    for p in parts {
        theirs.part(p);
    }
    assert_ne!(ours, theirs.finish(), "another identity, another key");
    let mut same = Key::builder_for(VERSION);
    for p in parts {
        same.part(p);
    }
    assert_eq!(
        ours,
        same.finish(),
        "Key::of starts with this binary's VERSION"
    );
}
