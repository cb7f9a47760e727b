//! Everything a build's output is made from, hashed before any document is read (the key of
//! its [`super::stamp`]) — without reading the files that did not change.
//!
//! The hash is made of every file under the site's `content/`, `themes/`, `templates/`,
//! `static/`, `schemas/` and `gazette.toml`, each hashed with its path. Reading all of them
//! (82 MB at 10 000 documents, attachments included) was the largest part of a rebuild after
//! one edit (issue 19). So each build records, in the cache folder, every file's hash with
//! what `stat` says of it (size, modification and change times, inode, device), and the next
//! build takes the hash of a file whose `stat` is the same instead of reading it, as Git's
//! index does. Any write to a file sets its change time to the time of the write, which no
//! program can set back; the one trap is a file written again within the resolution of its
//! file system's clock after it was recorded, so a file changed less than [`MARGIN`] before
//! its record was made is always read again ("racy" entries, in Git's words).
//!
//! A document file known so is handed to the load unread ([`Contents::Known`]); when its text
//! is needed after all, it is read then and checked against the hash, so a file saved again
//! during the build stops the build ([`crate::source::read_known`]) rather than feed a text
//! into keys made for another.

use foldhash::{HashMap, HashMapExt};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use jiff::civil::Date;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::cache::Key;
use crate::source::{self, Contents, Prefetched, Read};

/// The folders and files under the site root that a build reads.
const INPUTS: &[&str] = &[
    "content",
    "themes",
    "templates",
    "static",
    "schemas",
    "gazette.toml",
];

/// A file changed less than this long before its record was made is read again by the next
/// build (coarse file system clocks: FAT's is 2 s; network file systems' may lag).
const MARGIN: i128 = 3_000_000_000;

/// The layout of the records file; change it whenever [`Records`] changes shape (postcard is
/// not self-describing).
const FORMAT: &[u8] = b"gazette input files 1";

/// Everything a build's output depends on, hashed, and the record of each input file to keep
/// for the next build.
pub(crate) struct Inputs {
    key: Key,
    /// The records of this build's files, when they differ from those it found.
    records: Option<Records>,
}

/// What `stat` says of a file: when all of it is the same, so are the bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Stat {
    len: u64,
    /// Nanoseconds since 1970.
    modified: i128,
    /// Nanoseconds since 1970: the last change of the bytes or of the file's entry.
    changed: i128,
    inode: u64,
    device: u64,
}

impl Stat {
    fn of(m: &std::fs::Metadata) -> Stat {
        let ns = |s: i64, n: i64| i128::from(s) * 1_000_000_000 + i128::from(n);
        Stat {
            len: m.len(),
            modified: ns(m.mtime(), m.mtime_nsec()),
            changed: ns(m.ctime(), m.ctime_nsec()),
            inode: m.ino(),
            device: m.dev(),
        }
    }
}

/// The input files of one site root as a build found them.
#[derive(Serialize, Deserialize)]
struct Records {
    /// When the files were looked at: before any of them was.
    at: i128,
    /// Path relative to the root, what `stat` said, then the file's hash
    /// ([`source::file_hash`]).
    files: Vec<(String, Stat, [u8; 32])>,
}

impl Inputs {
    /// The inputs under `root`, with the options of the command line that change the output:
    /// the date, a `--base-url` that overrides the configuration, `--no-minify`. Everything
    /// else a build reads is a file hashed here (the configuration, the theme's folders) or is
    /// built into the binary (the default theme), so the site need not be loaded first. Files
    /// recorded in `cache_dir` and unchanged since are not read.
    ///
    /// With the hash, the document files (`.md` under `content/documents/`), for the load to
    /// take rather than read again: the bytes it checks are then the bytes hashed, or a file
    /// it reads later is checked against the hash.
    pub(crate) fn of(
        root: &Path,
        cache_dir: &Path,
        as_of: Date,
        base_url: Option<&str>,
        minify: bool,
    ) -> (Inputs, Prefetched) {
        Inputs::looked_at(now(), root, cache_dir, (as_of, base_url, minify))
    }

    /// [`Inputs::of`], the files being looked at from `at` on (a test records files as if
    /// they had long settled).
    fn looked_at(
        at: i128,
        root: &Path,
        cache_dir: &Path,
        (as_of, base_url, minify): (Date, Option<&str>, bool),
    ) -> (Inputs, Prefetched) {
        let kept = load(&records_path(cache_dir, root));
        let recorded = kept.as_ref().map_or(0, |r| r.at);
        let known: HashMap<&str, (Stat, [u8; 32])> = kept
            .iter()
            .flat_map(|r| &r.files)
            .map(|(path, stat, hash)| (path.as_str(), (*stat, *hash)))
            .collect();
        let mut files: Vec<PathBuf> = Vec::new();
        for name in INPUTS {
            let top = root.join(name);
            // Followed links: a theme folder linked from elsewhere is hashed by its files.
            for entry in walkdir::WalkDir::new(&top)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .flatten()
            {
                if entry.file_type().is_file() || entry.file_type().is_symlink() {
                    files.push(entry.into_path());
                }
            }
        }
        let shared_root: Arc<Path> = Arc::from(root);
        // Each file's hash in parallel, then all of them in path order.
        let met: Vec<Met> = files
            .par_iter()
            .map(|f| {
                let rel = f.strip_prefix(root).unwrap_or(f);
                let name = rel.to_str();
                // Looked at before it is read: a write after this changes what the next build
                // sees, so a record is never of bytes older than its stat.
                let stat = std::fs::metadata(f).ok().map(|m| Stat::of(&m));
                let document = rel.starts_with("content/documents")
                    && rel.extension().is_some_and(|e| e == "md");
                let trusted = match (name.and_then(|n| known.get(n)), stat) {
                    (Some((was, hash)), Some(stat)) if *was == stat && settled(&stat, recorded) => {
                        Some(*hash)
                    }
                    _ => None,
                };
                if let Some(hash) = trusted {
                    let contents = Contents::Known {
                        root: Arc::clone(&shared_root),
                        hash,
                    };
                    return Met {
                        hash,
                        record: name.zip(stat).map(|(n, s)| (n.to_string(), s, hash)),
                        read: document.then(|| {
                            (
                                rel.to_path_buf(),
                                Read {
                                    hash,
                                    bytes: contents,
                                },
                            )
                        }),
                        fresh: false,
                    };
                }
                let bytes = std::fs::read(f).unwrap_or_default();
                let hash = source::file_hash(rel, &bytes);
                Met {
                    hash,
                    record: name.zip(stat).map(|(n, s)| (n.to_string(), s, hash)),
                    read: document.then(|| {
                        let bytes = Contents::Bytes(bytes);
                        (rel.to_path_buf(), Read { hash, bytes })
                    }),
                    fresh: true,
                }
            })
            .collect();
        let mut key = Key::builder();
        key.part(b"inputs")
            .part(&executable())
            .part(as_of.to_string().as_bytes())
            .part(base_url.unwrap_or("\0").as_bytes())
            .part(&[u8::from(minify)]);
        let same = met.len() == known.len() && met.iter().all(|m| !m.fresh && m.record.is_some());
        drop(known);
        let mut records = Vec::with_capacity(met.len());
        let mut documents = HashMap::new();
        for m in met {
            key.part(&m.hash);
            records.extend(m.record);
            documents.extend(m.read);
        }
        let records = (!same).then_some(Records { at, files: records });
        (
            Inputs {
                key: key.finish(),
                records,
            },
            Prefetched::new(documents),
        )
    }

    /// The hash of the inputs.
    pub(super) fn key(&self) -> &Key {
        &self.key
    }

    /// Keeps the files' records in `cache_dir` for the next build of `root`, if they changed.
    /// Failures only cost the next build the reading of every file.
    pub(crate) fn keep(&self, cache_dir: &Path, root: &Path) {
        let Some(records) = &self.records else {
            return;
        };
        let Ok(mut bytes) = postcard::to_allocvec(&(FORMAT, records)) else {
            return;
        };
        bytes.extend_from_slice(blake3::hash(&bytes).as_bytes());
        let file = records_path(cache_dir, root);
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        let ok = file
            .parent()
            .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
            && std::fs::write(&tmp, bytes).is_ok()
            && std::fs::rename(&tmp, &file).is_ok();
        if !ok {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    #[cfg(test)]
    pub(super) fn of_key(key: Key) -> Inputs {
        Inputs { key, records: None }
    }
}

/// One input file as [`Inputs::of`] met it.
struct Met {
    /// Its hash ([`source::file_hash`]; an unreadable file counts as empty).
    hash: [u8; 32],
    /// Its record for the next build (`None`: a path that is not UTF-8, or no `stat`; such a
    /// file is read every time).
    record: Option<(String, Stat, [u8; 32])>,
    /// A document file: its path relative to the root, its hash and its bytes if read.
    read: Option<(PathBuf, Read)>,
    /// Read and hashed, not taken from its record.
    fresh: bool,
}

/// Whether a file as `stat` describes it had stopped changing [`MARGIN`] before `at`: only
/// then does the same `stat` later mean the same bytes.
fn settled(stat: &Stat, at: i128) -> bool {
    stat.modified.max(stat.changed) < at - MARGIN
}

fn now() -> i128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as i128)
}

/// Where the records of the files under `root` are kept.
fn records_path(cache_dir: &Path, root: &Path) -> PathBuf {
    let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let key = Key::of(&[b"input records", abs.to_string_lossy().as_bytes()]);
    let hex: String = key.as_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    cache_dir.join("inputs").join(hex)
}

/// The records kept at `file`, if whole and of this layout.
fn load(file: &Path) -> Option<Records> {
    let bytes = std::fs::read(file).ok()?;
    let (body, check) = bytes.split_at_checked(bytes.len().checked_sub(32)?)?;
    (blake3::hash(body).as_bytes() == check).then_some(())?;
    let (format, records): (&[u8], Records) = postcard::from_bytes(body).ok()?;
    (format == FORMAT).then_some(records)
}

/// The gazette binary's size and modification time: a rebuilt gazette may render differently.
fn executable() -> Vec<u8> {
    let meta = std::env::current_exe().and_then(std::fs::metadata);
    match meta {
        Ok(m) => format!("{}:{}", m.len(), super::stamp::mtime(&m)).into_bytes(),
        // Unknown binary: never match.
        Err(_) => format!("{:?}", SystemTime::now()).into_bytes(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: (Date, Option<&str>, bool) = (Date::constant(2026, 6, 30), None, true);
    const DOC: &str = "content/documents/a.md";

    /// A site of one document and a configuration, and a cache folder.
    fn site() -> (tempfile::TempDir, PathBuf, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let (root, cache) = (dir.path().join("site"), dir.path().join("cache"));
        std::fs::create_dir_all(root.join("content/documents")).unwrap();
        std::fs::write(root.join("gazette.toml"), "title = \"公报\"\n").unwrap();
        std::fs::write(root.join(DOC), "---\ntitle: 甲\n---\n正文。\n").unwrap();
        (dir, root, cache)
    }

    /// The inputs of `root` looked at as if the files had been written long before.
    fn recorded(root: &Path, cache: &Path) -> Inputs {
        let (inputs, _) = Inputs::looked_at(now() + 60 * 1_000_000_000, root, cache, OPTIONS);
        inputs.keep(cache, root);
        inputs
    }

    fn of(root: &Path, cache: &Path) -> (Inputs, Prefetched) {
        let (as_of, base_url, minify) = OPTIONS;
        Inputs::of(root, cache, as_of, base_url, minify)
    }

    fn contents(prefetched: &Prefetched) -> (bool, [u8; 32]) {
        let read = prefetched
            .take(Path::new(DOC))
            .expect("the document is handed over");
        (matches!(read.bytes, Contents::Known { .. }), read.hash)
    }

    #[test]
    fn a_file_unchanged_since_its_record_is_known_by_it_and_handed_over_unread() {
        let (_dir, root, cache) = site();
        let first = recorded(&root, &cache);
        let (next, prefetched) = of(&root, &cache);
        assert_eq!(next.key(), first.key(), "the same files, the same key");
        let bytes = std::fs::read(root.join(DOC)).unwrap();
        let hash = source::file_hash(Path::new(DOC), &bytes);
        assert_eq!(contents(&prefetched), (true, hash), "known, not read");
        assert!(next.records.is_none(), "nothing new to record");
    }

    #[test]
    fn a_file_written_since_is_read_though_its_size_and_modification_time_are_put_back() {
        let (_dir, root, cache) = site();
        let first = recorded(&root, &cache);
        let file = root.join(DOC);
        let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
        std::fs::write(&file, "---\ntitle: 乙\n---\n正文。\n").unwrap();
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(modified).unwrap();
        let (next, prefetched) = of(&root, &cache);
        assert_ne!(next.key(), first.key());
        let (known, hash) = contents(&prefetched);
        assert!(!known, "read: its change time is new");
        assert_eq!(
            hash,
            source::file_hash(Path::new(DOC), &std::fs::read(&file).unwrap())
        );
    }

    #[test]
    fn a_file_that_had_just_changed_when_it_was_recorded_is_read_again() {
        let (_dir, root, cache) = site();
        let (first, _) = of(&root, &cache);
        first.keep(&cache, &root);
        let (next, prefetched) = of(&root, &cache);
        assert_eq!(next.key(), first.key());
        assert!(
            !contents(&prefetched).0,
            "written within the margin: not trusted"
        );
    }

    #[test]
    fn damaged_or_foreign_records_are_no_records() {
        let (_dir, root, cache) = site();
        recorded(&root, &cache);
        let file = records_path(&cache, &root);
        let mut bytes = std::fs::read(&file).unwrap();
        let last = bytes.len() - 40;
        bytes[last] ^= 1;
        std::fs::write(&file, &bytes).unwrap();
        let (_, prefetched) = of(&root, &cache);
        assert!(!contents(&prefetched).0, "a damaged record is not trusted");
        // Another root's records are kept apart.
        recorded(&root, &cache);
        let (_other_dir, other, _) = site();
        recorded(&other, &cache);
        let (_, prefetched) = of(&root, &cache);
        assert!(contents(&prefetched).0, "each root has its own records");
    }

    #[test]
    fn a_file_whose_name_is_not_utf8_is_read_every_time_and_counts_in_the_key() {
        use std::os::unix::ffi::OsStrExt;
        let (_dir, root, cache) = site();
        let odd = root
            .join("content")
            .join(std::ffi::OsStr::from_bytes(b"\xff.txt"));
        std::fs::write(&odd, "一").unwrap();
        let first = recorded(&root, &cache);
        std::fs::write(&odd, "二").unwrap();
        let (next, _) = of(&root, &cache);
        assert_ne!(
            next.key(),
            first.key(),
            "its bytes are in the key though it has no record"
        );
    }

    #[test]
    fn a_removed_file_changes_the_key_and_the_records() {
        let (_dir, root, cache) = site();
        let first = recorded(&root, &cache);
        std::fs::write(root.join("content/documents/b.md"), "---\ntitle: 乙\n---\n").unwrap();
        let (second, _) = of(&root, &cache);
        assert!(second.records.is_some());
        std::fs::remove_file(root.join("content/documents/b.md")).unwrap();
        let (third, prefetched) = of(&root, &cache);
        assert_eq!(
            third.key(),
            first.key(),
            "the files of the first build again"
        );
        assert!(contents(&prefetched).0);
    }
}
