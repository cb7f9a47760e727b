//! The build cache never changes the output (issue 16): entries garbled, truncated, extended
//! or swapped for another entry's bytes are found by their checks and rebuilt, and the site
//! is byte for byte the one `--no-cache` builds.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::{build_ok, readme, tree_hash};
use crate::harness::{copy_dir, files, sample_site};

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
