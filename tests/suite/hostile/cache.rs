//! The build cache never changes the output (issue 16): entries garbled, truncated, extended
//! or swapped for another entry's bytes are found by their checks and rebuilt, and the site
//! is byte for byte the one `--no-cache` builds. A cache (and an output's stamp) left by a
//! gazette built from other source is not used at all.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{build_ok, readme, tree, tree_hash};
use crate::harness::{copy_dir, files, sample_site, stderr};

/// One damage done to one cache file (picked by index modulo the file count).
#[derive(Debug, Clone)]
enum Damage {
    /// One byte XOR-ed with a non-zero mask.
    Flip { file: usize, at: usize, mask: u8 },
    /// The file cut short.
    Truncate { file: usize, at: usize },
    /// Bytes added at the end.
    Append { file: usize, bytes: Vec<u8> },
    /// The file's bytes replaced by another file's (a foreign entry under a right name).
    Swap { file: usize, with: usize },
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<usize>(), 1..=255u8).prop_map(|(file, at, mask)| Damage::Flip {
            file,
            at,
            mask
        }),
        (any::<usize>(), any::<usize>()).prop_map(|(file, at)| Damage::Truncate { file, at }),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..64)
        )
            .prop_map(|(file, bytes)| Damage::Append { file, bytes }),
        (any::<usize>(), any::<usize>()).prop_map(|(file, with)| Damage::Swap { file, with }),
    ]
}

/// Does `d` to the files of `cache` (written as a new file: the published pages, which share
/// their file with the page cache, keep their bytes, as a disk error in the cache would).
fn apply(cache: &Path, d: &Damage) {
    let all: Vec<PathBuf> = files(cache).into_iter().map(|f| cache.join(f)).collect();
    let pick = |i: usize| &all[i % all.len()];
    let (path, bytes) = match d {
        Damage::Flip { file, at, mask } => {
            let mut b = std::fs::read(pick(*file)).unwrap();
            if b.is_empty() {
                return;
            }
            let at = at % b.len();
            b[at] ^= mask;
            (pick(*file), b)
        }
        Damage::Truncate { file, at } => {
            let mut b = std::fs::read(pick(*file)).unwrap();
            b.truncate(at % b.len().max(1));
            (pick(*file), b)
        }
        Damage::Append { file, bytes } => {
            let mut b = std::fs::read(pick(*file)).unwrap();
            b.extend_from_slice(bytes);
            (pick(*file), b)
        }
        Damage::Swap { file, with } => (pick(*file), std::fs::read(pick(*with)).unwrap()),
    };
    std::fs::remove_file(path).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// The sample site built once without a cache (the bytes every damaged build must give) and
/// once with one (the warm cache and the output it left), shared by every case.
struct Warm {
    _dir: tempfile::TempDir,
    site: PathBuf,
    expected: String,
}

fn warm() -> &'static Warm {
    static WARM: std::sync::OnceLock<Warm> = std::sync::OnceLock::new();
    WARM.get_or_init(|| {
        readme("cache-corruption");
        let sample = sample_site();
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        copy_dir(sample.path(), &site);
        let reference = dir.path().join("reference");
        build_ok(&site, &reference, &["--no-cache"]);
        build_ok(&site, &site.join("public"), &[]);
        Warm {
            expected: tree_hash(&reference),
            site,
            _dir: dir,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn a_damaged_cache_builds_the_same_bytes_as_no_cache(damages in proptest::collection::vec(damage(), 1..6)) {
        let warm = warm();
        // This case's copy of the warm site: its cache, its output, its stamps.
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        copy_dir(&warm.site, root);
        let cache = root.join(".gazette-cache");
        for d in &damages {
            apply(&cache, d);
        }
        // Into a new output (every entry looked up), and over the copied one (a stamp damaged
        // in place is `output::stamp`'s own test).
        let fresh = root.join("fresh");
        build_ok(root, &fresh, &[]);
        prop_assert_eq!(tree_hash(&fresh), warm.expected.clone(), "damages: {:?}", damages);
        let out = root.join("public");
        build_ok(root, &out, &[]);
        prop_assert_eq!(tree_hash(&out), warm.expected.clone(), "damages: {:?}", damages);
    }
}

/// `gazette` as a binary built from other source would be: a copy of the real binary with its
/// identity — the `GAZETTE_SOURCE_HASH` that starts every cache key and stamp — replaced, every
/// digit changed, in each place it is spelled. Nothing else differs, so whatever it does
/// differently is the identity's doing; and no second compile of gazette is needed.
fn binary_of_other_source(dir: &Path) -> PathBuf {
    let ours = env!("GAZETTE_SOURCE_HASH").as_bytes();
    let theirs: Vec<u8> = ours
        .iter()
        .map(|&d| if d == b'0' { b'1' } else { b'0' })
        .collect();
    let mut bytes = std::fs::read(crate::harness::bin()).unwrap();
    let places: Vec<usize> = memchr::memmem::find_iter(&bytes, ours).collect();
    assert!(!places.is_empty(), "the identity is not in the binary");
    for at in places {
        bytes[at..at + ours.len()].copy_from_slice(&theirs);
    }
    let path = dir.join("gazette-other-source");
    std::fs::write(&path, bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    path
}

/// Replaces every page in the cache by a poisoned one under a right name (its check matches):
/// a page this build would take from the cache says `POISONED` in the output.
fn poison_pages(cache: &Path) -> usize {
    let pages = cache.join("pages");
    let mut n = 0;
    for rel in files(&pages) {
        let path = pages.join(&rel);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some((key, _check)) = name.split_once('.') else {
            continue;
        };
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(b"<!-- POISONED -->");
        let check: String = blake3::hash(&bytes).as_bytes()[..16]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        // A new file: the published page shares the old one's bytes (a hard link).
        std::fs::remove_file(&path).unwrap();
        std::fs::write(path.with_file_name(format!("{key}.{check}")), bytes).unwrap();
        n += 1;
    }
    n
}

fn poisoned(out: &Path) -> usize {
    tree(out)
        .iter()
        .filter(|(_, bytes)| memchr::memmem::find(bytes, b"POISONED").is_some())
        .count()
}

/// `gazette build` with the binary `bin`.
fn build_by(bin: &Path, root: &Path, out: &Path) {
    let o = std::process::Command::new(bin)
        .args(["build", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .args(["--as-of", crate::harness::AS_OF, "--quiet"])
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn a_binary_of_other_source_rebuilds_instead_of_reusing_the_cache() {
    readme("binary-identity");
    let sample = sample_site();
    let root = sample.path();
    let dir = tempfile::tempdir().unwrap();
    let other = binary_of_other_source(dir.path());
    let reference = dir.path().join("reference");
    build_ok(root, &reference, &["--no-cache"]);
    let expected = tree_hash(&reference);

    // This binary fills the cache; then every cached page is replaced by a poisoned one that
    // passes its check.
    build_ok(root, &root.join("public"), &[]);
    let pages = poison_pages(&root.join(".gazette-cache"));
    assert!(pages > 50, "{pages} cached pages");
    // The same binary takes them (so the poison shows whenever a cache is reused) …
    let same = dir.path().join("same");
    build_ok(root, &same, &[]);
    assert!(
        poisoned(&same) > 50,
        "the poisoned cache is used by its own binary"
    );
    // … a binary of other source takes none: byte for byte the `--no-cache` site.
    let fresh = dir.path().join("fresh");
    build_by(&other, root, &fresh);
    assert_eq!(poisoned(&fresh), 0);
    assert_eq!(tree_hash(&fresh), expected, "a new output");
    // Nor does it trust the stamp another binary left on an output (with nothing changed,
    // the same binary would leave it alone): the poisoned output is rebuilt.
    build_by(&other, root, &same);
    assert_eq!(
        poisoned(&same),
        0,
        "the other binary's output left as it was"
    );
    assert_eq!(
        tree_hash(&same),
        expected,
        "over an output of the first binary"
    );
}

/// Each document file's check is kept in the cache (`src/validate/memo.rs`) and reused only
/// while the file's bytes, the configuration and what its attachments are stay the same. After
/// each change below, a build with the cache says and writes exactly what a `--no-cache` build
/// says and writes — and the changes that break the site make both fail.
#[test]
fn a_kept_check_is_redone_when_the_configuration_or_an_attachment_changes() {
    let site = sample_site();
    let root = site.path();
    let toml = root.join("gazette.toml");
    let csv = root.join("content/documents/2024/lzrz-gg-2024-7-zongdi.csv");
    let config = std::fs::read_to_string(&toml).unwrap();
    let table = std::fs::read(&csv).unwrap();
    assert!(config.contains("name = \"综合政务\"\n"));
    let steps: [(&str, bool, &dyn Fn()); 6] = [
        ("as it is", true, &|| {}),
        ("again, all kept", true, &|| {}),
        ("a subject renamed in gazette.toml", false, &|| {
            let renamed = config.replace("name = \"综合政务\"\n", "name = \"综合事务\"\n");
            std::fs::write(&toml, renamed).unwrap();
        }),
        ("gazette.toml as it was", true, &|| {
            std::fs::write(&toml, &config).unwrap()
        }),
        ("an attachment removed", false, &|| {
            std::fs::remove_file(&csv).unwrap()
        }),
        ("the attachment back, larger", true, &|| {
            std::fs::write(&csv, [table.as_slice(), b"\n"].concat()).unwrap()
        }),
    ];
    for (what, succeeds, change) in steps {
        change();
        let build = |out: &str, extra: &[&str]| {
            let mut c = crate::harness::build_command(root, &root.join(out));
            c.args(extra).output().unwrap()
        };
        let cached = build("with-cache", &[]);
        let fresh = build("without", &["--no-cache"]);
        assert_eq!(
            cached.status.success(),
            succeeds,
            "{what}: {}",
            stderr(&cached)
        );
        assert_eq!(fresh.status.code(), cached.status.code(), "{what}");
        assert_eq!(stderr(&cached), stderr(&fresh), "{what}");
        if succeeds {
            assert!(
                tree(&root.join("with-cache")) == tree(&root.join("without")),
                "{what}: the sites differ"
            );
        }
    }
}

/// Pages placed again without their views (`render/replay.rs`) are the pages the full path
/// makes: after each edit, a build over the last one (with its cache and its site before last)
/// gives the site `--no-cache` gives. Each edit changes something a replayed page shows
/// without its own view changing the replay key wrongly: a body (its page only), a version's
/// body (the versions are part of the site), a title other documents' pages show, a free page,
/// and a PDF replaced by other bytes of the same size (its hash is on the page).
#[test]
fn pages_placed_without_their_views_are_the_pages_a_full_build_makes() {
    let site = sample_site();
    let root = site.path();
    let append = |rel: &str, text: &str| {
        let path = root.join(rel);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.extend_from_slice(text.as_bytes());
        std::fs::write(&path, bytes).unwrap();
    };
    let amending = root.join("content/documents/2023/lyzfl-190.md");
    let pdf = root.join("content/gazette/2025-06.pdf");
    let steps: [(&str, &dyn Fn()); 7] = [
        ("as it is", &|| {}),
        ("one body edited", &|| {
            append(
                "content/documents/2019/lyzfl-176.md",
                "\n本条为测试追加。\n",
            )
        }),
        ("another body edited", &|| {
            append(
                "content/documents/2023/lyzfl-190.md",
                "\n本决定为测试追加一段。\n",
            )
        }),
        ("a version's body edited", &|| {
            append(
                "content/documents/2023/lyzfl-176-2023-07-01.md",
                "\n第九十九条 本条为测试追加。\n",
            )
        }),
        ("the title of an amending decision changed", &|| {
            let text = std::fs::read_to_string(&amending).unwrap();
            let changed = text.replacen("title: ", "title: 测试改名", 1);
            assert_ne!(text, changed);
            std::fs::write(&amending, changed).unwrap();
        }),
        ("a free page edited", &|| {
            append("content/pages/about.md", "\n测试追加的一句。\n")
        }),
        ("a PDF replaced by other bytes of the same size", &|| {
            let mut bytes = std::fs::read(&pdf).unwrap();
            let last = bytes.len() - 1;
            bytes[last] ^= 0x20;
            std::fs::remove_file(&pdf).unwrap();
            std::fs::write(&pdf, bytes).unwrap();
        }),
    ];
    for (what, change) in steps {
        change();
        eprintln!("{what}");
        build_ok(root, &root.join("with-cache"), &[]);
        let _ = std::fs::remove_dir_all(root.join("without"));
        build_ok(root, &root.join("without"), &["--no-cache"]);
        assert!(
            tree(&root.join("with-cache")) == tree(&root.join("without")),
            "{what}: the sites differ"
        );
    }
    assert!(
        root.join(".gazette-cache/replay").is_dir(),
        "the builds kept no record of their pages"
    );
}

/// A published page shares its file with the page cache and, while unchanged, with the site
/// kept before it. Written over in place (not replaced), it is changed in all three: the next
/// build, with or without another edit, must make it again rather than keep or place it.
#[test]
fn a_page_overwritten_in_place_in_the_output_is_made_again() {
    let site = sample_site();
    let root = site.path();
    let out = root.join("public");
    let body = root.join("content/documents/2019/lyzfl-176.md");
    let edit = |n: u32| {
        let mut text = std::fs::read_to_string(&body).unwrap();
        text.push_str(&format!("\n第{n}次测试追加。\n"));
        std::fs::write(&body, text).unwrap();
    };
    let build = |to: &Path, extra: &[&str]| build_ok(root, to, extra);
    let deface = || {
        for page in ["index.html", "documents/lzb-2021-18/index.html"] {
            // `write` truncates and writes the same file: every other name of it changes too.
            std::fs::write(out.join(page), "defaced").unwrap();
        }
    };
    let expected = |what: &str| {
        let reference = root.join("reference");
        let _ = std::fs::remove_dir_all(&reference);
        build(&reference, &["--no-cache"]);
        assert!(tree(&out) == tree(&reference), "{what}: the sites differ");
    };
    build(&out, &[]);
    edit(1);
    build(&out, &[]);
    deface();
    build(&out, &[]);
    expected("defaced, nothing else changed");
    edit(2);
    build(&out, &[]);
    deface();
    edit(3);
    build(&out, &[]);
    expected("defaced, and a body edited");
}

/// The page cache does not keep every page it ever held: each key starts with the binary's
/// identity, so an upgraded gazette and every edit leave pages no build will use again. Once
/// they are more than the pages a build used, a complete build deletes them.
#[test]
fn pages_no_build_uses_any_more_are_deleted_from_the_cache() {
    let site = sample_site();
    let root = site.path();
    let pages = || files(&root.join(".gazette-cache/pages")).len();
    let build_with = |bin: &Path| {
        let mut c = crate::harness::build_command(root, &root.join("public"));
        c.env_remove("GAZETTE_BIN");
        let o = std::process::Command::new(bin)
            .args(c.get_args())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    };
    build_with(&crate::harness::bin());
    let used = pages();
    assert!(used > 50, "{used} pages cached");
    // An older gazette's pages, as after an upgrade: one build's worth more.
    let other = binary_of_other_source(root);
    build_with(&other);
    assert_eq!(pages(), 2 * used, "each gazette keeps its own pages");
    // An edit, built by this gazette: the other's pages, and the edited page's old entry, go.
    let body = root.join("content/documents/2019/lyzfl-176.md");
    let mut text = std::fs::read_to_string(&body).unwrap();
    text.push_str("\n测试追加一句。\n");
    std::fs::write(&body, text).unwrap();
    build_with(&crate::harness::bin());
    assert_eq!(pages(), used, "only the pages this build used are left");
    let reference = root.join("reference");
    build_ok(root, &reference, &["--no-cache"]);
    assert!(tree(&root.join("public")) == tree(&reference));
}
