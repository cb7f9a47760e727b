//! Cache entries kept many to a file ("packs"), for kinds with one small entry per document.
//!
//! A file per entry made the cache the slowest part of a clean build: at 100 000 documents,
//! creating and renaming 100 000 body files in the kernel cost more than rendering the bodies
//! (a clean build took 80–117 s with them, 66 s without). A build now appends what it renders
//! to one new pack, sealed with an index at the end when the build is done, so a kind costs a
//! handful of files however many entries it holds.
//!
//! A pack is `MAGIC`, the entries' bytes back to back, then the index — one [`Slot`] per entry
//! — and a trailer: where the index starts, how many slots it has, its BLAKE3 hash and
//! `MAGIC` again. Each slot carries a hash of its entry's bytes, checked on every read. A
//! pack is written under a temporary name and renamed when sealed, so a killed build leaves
//! no half-written pack, and a pack damaged later (a truncated file, a block of zeros after a
//! power cut) is skipped or its entries are misses: the cache never changes the output.
//!
//! Entries no longer used are collected when a complete build seals its pack: if the packs
//! hold more than twice the bytes that build used, the entries it used are copied into one new
//! pack and every other pack is deleted. Packs that only grow in number (each edit adds a small
//! one) are merged once there are more than [`MAX_PACKS`], all but the largest.

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, SystemTime};

use super::Key;

const MAGIC: &[u8; 8] = b"GZPACK1\n";
/// `index offset (u64) · slot count (u64) · index hash (32 bytes) · MAGIC`.
const TRAILER: usize = 8 + 8 + 32 + 8;
/// `key (32 bytes) · offset (u64) · length (u64) · check (16 bytes)`.
const SLOT: usize = 32 + 8 + 8 + 16;
/// More packs than this and a complete build merges the ones it uses into one.
const MAX_PACKS: usize = 8;
/// A temporary pack this old belongs to a build that was killed.
const STALE: Duration = Duration::from_secs(3600);

/// Where one entry lives.
#[derive(Clone, Copy)]
struct Slot {
    pack: usize,
    offset: u64,
    len: u64,
    check: [u8; 16],
}

/// The packs found on disk when the kind was first used, and which of their entries this
/// build has used.
struct Loaded {
    /// Each pack's path, file, size and, for a kind read whole, its entries' bytes.
    packs: Vec<(PathBuf, File, u64, Option<Vec<u8>>)>,
    slots: HashMap<Key, (Slot, AtomicBool)>,
}

/// The pack this build is writing.
struct Writer {
    tmp: PathBuf,
    out: BufWriter<File>,
    offset: u64,
    slots: Vec<(Key, Slot)>,
    keys: HashSet<Key>,
}

/// The packed entries of one kind, in `dir`.
pub(super) struct Packs {
    dir: PathBuf,
    /// Read each pack whole on first use, not entry by entry (see [`Packs::new`]).
    whole: bool,
    loaded: OnceLock<Loaded>,
    writer: Mutex<Option<Writer>>,
    /// Set once the writer could not be created or written: stop trying for this build.
    broken: AtomicBool,
}

/// The hash stored beside each entry.
fn check(parts: &[&[u8]]) -> [u8; 16] {
    let mut h = blake3::Hasher::new();
    for p in parts {
        h.update(p);
    }
    let mut c = [0u8; 16];
    c.copy_from_slice(&h.finalize().as_bytes()[..16]);
    c
}

impl Packs {
    /// The packs in `dir`. `whole`: a build reads nearly every entry, so each pack is read in
    /// one go when first used rather than entry by entry — the 10 000 kept checks of a rebuild
    /// cost 10 000 system calls, a third of the time it took to take them up.
    pub(super) fn new(dir: PathBuf, whole: bool) -> Packs {
        Packs {
            dir,
            whole,
            loaded: OnceLock::new(),
            writer: Mutex::new(None),
            broken: AtomicBool::new(false),
        }
    }

    fn loaded(&self) -> &Loaded {
        self.loaded.get_or_init(|| load(&self.dir, self.whole))
    }

    /// The entry stored under `key` by an earlier build, if it is there and intact.
    pub(super) fn get(&self, key: &Key) -> Option<Vec<u8>> {
        let loaded = self.loaded();
        let (slot, used) = loaded.slots.get(key)?;
        let bytes = match &loaded.packs[slot.pack] {
            (_, _, _, Some(all)) => cut(all, slot)?,
            (_, file, _, None) => read(file, slot)?,
        };
        used.store(true, Ordering::Relaxed);
        Some(bytes)
    }

    /// Marks the entry `key` as used by this build without reading it; `false` if no earlier
    /// build stored it and this one has not either.
    pub(super) fn keep(&self, key: &Key) -> bool {
        if let Some((_, used)) = self.loaded().slots.get(key) {
            used.store(true, Ordering::Relaxed);
            return true;
        }
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        writer.as_ref().is_some_and(|w| w.keys.contains(key))
    }

    /// Appends the entry `parts` (concatenated) under `key` to this build's pack. Failures
    /// are ignored: a cache that cannot be written costs speed, never correctness.
    pub(super) fn put(&self, key: &Key, parts: &[&[u8]]) {
        if self.broken.load(Ordering::Relaxed) {
            return;
        }
        let check = check(parts);
        let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
        if writer.is_none() {
            match Writer::create(&self.dir) {
                Some(w) => *writer = Some(w),
                None => {
                    self.broken.store(true, Ordering::Relaxed);
                    return;
                }
            }
        }
        let Some(w) = writer.as_mut() else { return };
        if w.keys.contains(key) {
            return;
        }
        let len: u64 = parts.iter().map(|p| p.len() as u64).sum();
        let written = parts.iter().try_for_each(|p| w.out.write_all(p));
        if written.is_err() {
            self.broken.store(true, Ordering::Relaxed);
            if let Some(w) = writer.take() {
                w.discard();
            }
            return;
        }
        let slot = Slot {
            pack: usize::MAX,
            offset: w.offset,
            len,
            check,
        };
        w.offset += len;
        w.slots.push((*key, slot));
        w.keys.insert(*key);
    }

    /// Seals this build's pack (if it wrote anything). With `complete` — the build used every
    /// entry it will ever need from this cache — also collects what it did not use.
    pub(super) fn seal(&self, complete: bool) {
        let writer = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take();
        let sealed = writer.and_then(Writer::seal);
        if complete && !self.broken.load(Ordering::Relaxed) {
            self.collect(sealed);
        }
    }

    /// Merges the entries this build used into one pack when the packs hold mostly unused
    /// bytes or have grown too many. `sealed` is the pack this build wrote, all of it used.
    fn collect(&self, sealed: Option<PathBuf>) {
        let Some(loaded) = self.loaded.get() else {
            return;
        };
        if loaded.packs.is_empty() {
            return;
        }
        let total: u64 = loaded.packs.iter().map(|p| p.2).sum();
        let live: u64 = loaded
            .slots
            .values()
            .filter(|(_, used)| used.load(Ordering::Relaxed))
            .map(|(s, _)| s.len)
            .sum();
        let packs = loaded.packs.len() + usize::from(sealed.is_some());
        // Which packs to merge: all of them when most of their bytes are dead; when there are
        // only too many, all but the largest — usually a clean build's, which a few small edits
        // should not make us copy again (at 100 000 documents, half a gigabyte).
        let keep = if total > 2 * live {
            None
        } else if packs > MAX_PACKS {
            (0..loaded.packs.len()).max_by_key(|&i| loaded.packs[i].2)
        } else {
            return;
        };
        let merging = |pack: usize| Some(pack) != keep;
        let Some(mut merged) = Writer::create(&self.dir) else {
            return;
        };
        let this_build = sealed.as_deref().and_then(open);
        let mut live: Vec<(&File, &Key, &Slot)> = loaded
            .slots
            .iter()
            .filter(|(_, (s, used))| used.load(Ordering::Relaxed) && merging(s.pack))
            .map(|(k, (s, _))| (&loaded.packs[s.pack].1, k, s))
            .collect();
        // In pack and file order: each pack is read front to back.
        live.sort_by_key(|(_, _, s)| (s.pack, s.offset));
        if let Some((file, slots)) = &this_build {
            live.extend(slots.iter().map(|(k, s)| (file, k, s)));
        }
        for (file, key, slot) in live {
            let Some(bytes) = read(file, slot) else {
                continue;
            };
            if merged.out.write_all(&bytes).is_err() {
                merged.discard();
                return;
            }
            merged.slots.push((
                *key,
                Slot {
                    offset: merged.offset,
                    ..*slot
                },
            ));
            merged.offset += slot.len;
        }
        if merged.seal().is_some() {
            for (i, (path, ..)) in loaded.packs.iter().enumerate() {
                if merging(i) {
                    let _ = std::fs::remove_file(path);
                }
            }
            if let Some(path) = sealed {
                let _ = std::fs::remove_file(path);
            }
        }
    }
}

impl Drop for Packs {
    /// A build that stops early (an error in the content) still keeps what it rendered.
    fn drop(&mut self) {
        self.seal(false);
    }
}

impl Writer {
    fn create(dir: &Path) -> Option<Writer> {
        std::fs::create_dir_all(dir).ok()?;
        let stamp = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let unique = Key::of(&[
            &std::process::id().to_le_bytes(),
            &stamp.to_le_bytes(),
            dir.as_os_str().as_encoded_bytes(),
        ]);
        let tmp = dir.join(format!("{}.pack.tmp", &unique.hex()[..16]));
        let file = File::create(&tmp).ok()?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        if out.write_all(MAGIC).is_err() {
            let _ = std::fs::remove_file(&tmp);
            return None;
        }
        Some(Writer {
            tmp,
            out,
            offset: MAGIC.len() as u64,
            slots: Vec::new(),
            keys: HashSet::new(),
        })
    }

    /// Writes the index and the trailer and gives the pack its name; `None` (and no file) if
    /// it holds nothing or cannot be written.
    fn seal(mut self) -> Option<PathBuf> {
        if self.slots.is_empty() {
            self.discard();
            return None;
        }
        let mut index = Vec::with_capacity(self.slots.len() * SLOT);
        for (key, slot) in &self.slots {
            index.extend_from_slice(key.as_bytes());
            index.extend_from_slice(&slot.offset.to_le_bytes());
            index.extend_from_slice(&slot.len.to_le_bytes());
            index.extend_from_slice(&slot.check);
        }
        let mut trailer = Vec::with_capacity(TRAILER);
        trailer.extend_from_slice(&self.offset.to_le_bytes());
        trailer.extend_from_slice(&(self.slots.len() as u64).to_le_bytes());
        trailer.extend_from_slice(blake3::hash(&index).as_bytes());
        trailer.extend_from_slice(MAGIC);
        let done = self.out.write_all(&index).is_ok()
            && self.out.write_all(&trailer).is_ok()
            && self.out.flush().is_ok();
        let path = self.tmp.with_extension("");
        if done && std::fs::rename(&self.tmp, &path).is_ok() {
            Some(path)
        } else {
            self.discard();
            None
        }
    }

    fn discard(self) {
        let _ = std::fs::remove_file(&self.tmp);
    }
}

/// An entry's bytes from its pack's bytes `all`, if they match their check.
fn cut(all: &[u8], slot: &Slot) -> Option<Vec<u8>> {
    let start = usize::try_from(slot.offset).ok()?;
    let bytes = all.get(start..start.checked_add(usize::try_from(slot.len).ok()?)?)?;
    (check(&[bytes]) == slot.check).then(|| bytes.to_vec())
}

/// An entry's bytes, if they can be read and match their check.
fn read(file: &File, slot: &Slot) -> Option<Vec<u8>> {
    let mut bytes = vec![0u8; usize::try_from(slot.len).ok()?];
    file.read_exact_at(&mut bytes, slot.offset).ok()?;
    (check(&[&bytes]) == slot.check).then_some(bytes)
}

/// Every sealed pack in `dir`. Temporary packs left by killed builds are deleted; any file
/// that is not a whole pack is ignored.
fn load(dir: &Path, whole: bool) -> Loaded {
    let mut loaded = Loaded {
        packs: Vec::new(),
        slots: HashMap::new(),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return loaded;
    };
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.len() == 2 && path.is_dir() {
            // A shard folder of the one-file-per-entry layout that packs replaced.
            let _ = std::fs::remove_dir_all(path);
        } else if name.ends_with(".pack") {
            paths.push(path);
        } else if name.ends_with(".pack.tmp") {
            let stale = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > STALE));
            if stale {
                let _ = std::fs::remove_file(path);
            }
        }
    }
    paths.sort();
    for path in paths {
        let Some((file, slots)) = open(&path) else {
            continue;
        };
        let size = file.metadata().map_or(0, |m| m.len());
        // The entries end where the index starts: the end of the last of them.
        let end = slots
            .iter()
            .map(|(_, s)| s.offset + s.len)
            .max()
            .unwrap_or(0);
        let all = whole
            .then(|| {
                let mut all = vec![0u8; usize::try_from(end).ok()?];
                file.read_exact_at(&mut all, 0).ok().map(|()| all)
            })
            .flatten();
        let pack = loaded.packs.len();
        for (key, slot) in slots {
            loaded
                .slots
                .insert(key, (Slot { pack, ..slot }, AtomicBool::new(false)));
        }
        loaded.packs.push((path, file, size, all));
    }
    loaded
}

/// A sealed pack and its slots; `None` unless its trailer and index are whole.
fn open(path: &Path) -> Option<(File, Vec<(Key, Slot)>)> {
    let file = File::open(path).ok()?;
    let size = file.metadata().ok()?.len();
    let start = size.checked_sub(TRAILER as u64)?;
    let mut trailer = [0u8; TRAILER];
    file.read_exact_at(&mut trailer, start).ok()?;
    let word = |i: usize| u64::from_le_bytes(trailer[i..i + 8].try_into().unwrap_or_default());
    let (index_at, count) = (word(0), word(8));
    if &trailer[48..] != MAGIC || count.checked_mul(SLOT as u64)? != start.checked_sub(index_at)? {
        return None;
    }
    let mut index = vec![0u8; usize::try_from(start - index_at).ok()?];
    file.read_exact_at(&mut index, index_at).ok()?;
    if blake3::hash(&index).as_bytes()[..] != trailer[16..48] {
        return None;
    }
    let slots = index
        .chunks_exact(SLOT)
        .filter_map(|s| {
            let key = Key(s[..32].try_into().ok()?);
            let offset = u64::from_le_bytes(s[32..40].try_into().ok()?);
            let len = u64::from_le_bytes(s[40..48].try_into().ok()?);
            let within = offset.checked_add(len).is_some_and(|end| end <= index_at);
            within.then_some((
                key,
                Slot {
                    pack: 0,
                    offset,
                    len,
                    check: s[48..64].try_into().ok()?,
                },
            ))
        })
        .collect();
    Some((file, slots))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn packs_in(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }

    fn key(i: u32) -> Key {
        Key::of(&[&i.to_le_bytes()])
    }

    /// A folder where a complete build stored ten entries of a kilobyte each (keys 0 to 9).
    fn ten_large_entries() -> (tempfile::TempDir, Vec<u8>) {
        let dir = tempfile::tempdir().unwrap();
        let big = vec![b'x'; 1000];
        let first = Packs::new(dir.path().to_path_buf(), false);
        for i in 0..10 {
            first.put(&key(i), &[&big]);
        }
        first.seal(true);
        (dir, big)
    }

    #[test]
    fn entries_written_by_one_build_are_read_by_the_next() {
        for whole in [false, true] {
            entries_are_read_back(whole);
        }
    }

    fn entries_are_read_back(whole: bool) {
        let dir = tempfile::tempdir().unwrap();
        let first = Packs::new(dir.path().to_path_buf(), false);
        assert_eq!(first.get(&key(1)), None);
        first.put(&key(1), &[b"<p>", b"one"]);
        first.put(&key(2), &[b"two"]);
        first.seal(true);
        assert_eq!(packs_in(dir.path()).len(), 1, "one file for all entries");
        let next = Packs::new(dir.path().to_path_buf(), whole);
        assert_eq!(next.get(&key(1)).as_deref(), Some(&b"<p>one"[..]));
        assert_eq!(next.get(&key(2)).as_deref(), Some(&b"two"[..]));
        assert_eq!(next.get(&key(3)), None);
    }

    #[test]
    fn a_build_that_writes_nothing_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        Packs::new(dir.path().to_path_buf(), false).seal(true);
        assert!(packs_in(dir.path()).is_empty());
    }

    #[test]
    fn a_build_that_stops_early_still_keeps_what_it_wrote() {
        let dir = tempfile::tempdir().unwrap();
        {
            let p = Packs::new(dir.path().to_path_buf(), false);
            p.put(&key(1), &[b"one"]);
        }
        let next = Packs::new(dir.path().to_path_buf(), false);
        assert_eq!(next.get(&key(1)).as_deref(), Some(&b"one"[..]));
    }

    #[test]
    fn damaged_entries_are_misses_and_damaged_packs_are_ignored() {
        for whole in [false, true] {
            damaged_entries_are_misses(whole);
        }
    }

    fn damaged_entries_are_misses(whole: bool) {
        let dir = tempfile::tempdir().unwrap();
        let p = Packs::new(dir.path().to_path_buf(), false);
        p.put(&key(1), &[b"first entry"]);
        p.put(&key(2), &[b"second entry"]);
        p.seal(true);
        let pack = dir.path().join(&packs_in(dir.path())[0]);
        let mut bytes = std::fs::read(&pack).unwrap();
        // Flip a byte of the first entry's text.
        bytes[MAGIC.len() + 2] ^= 0x20;
        std::fs::write(&pack, &bytes).unwrap();
        let next = Packs::new(dir.path().to_path_buf(), whole);
        assert_eq!(next.get(&key(1)), None);
        assert_eq!(next.get(&key(2)).as_deref(), Some(&b"second entry"[..]));
        // A pack cut short, or its end zeroed, is not a pack.
        std::fs::write(&pack, &bytes[..bytes.len() - 3]).unwrap();
        assert_eq!(
            Packs::new(dir.path().to_path_buf(), whole).get(&key(2)),
            None
        );
        let len = bytes.len();
        bytes[len - TRAILER..].fill(0);
        std::fs::write(&pack, &bytes).unwrap();
        assert_eq!(
            Packs::new(dir.path().to_path_buf(), whole).get(&key(2)),
            None
        );
    }

    #[test]
    fn a_complete_build_collects_what_it_no_longer_uses() {
        let (dir, big) = ten_large_entries();
        // The next build uses two of the ten and writes one new entry: most bytes are dead.
        let second = Packs::new(dir.path().to_path_buf(), false);
        assert!(second.get(&key(0)).is_some());
        assert!(second.get(&key(1)).is_some());
        second.put(&key(99), &[b"new"]);
        second.seal(true);
        let names = packs_in(dir.path());
        assert_eq!(names.len(), 1, "{names:?}");
        let size = std::fs::metadata(dir.path().join(&names[0])).unwrap().len();
        assert!(size < 2500, "only the used entries are kept ({size} bytes)");
        let third = Packs::new(dir.path().to_path_buf(), false);
        assert_eq!(third.get(&key(0)).as_deref(), Some(&big[..]));
        assert_eq!(third.get(&key(99)).as_deref(), Some(&b"new"[..]));
        assert_eq!(third.get(&key(5)), None);
    }

    #[test]
    fn an_entry_kept_unread_survives_collection() {
        let (dir, big) = ten_large_entries();
        // Reads one entry and keeps another without reading it: the other eight are dead.
        let second = Packs::new(dir.path().to_path_buf(), false);
        assert!(second.get(&key(0)).is_some());
        assert!(second.keep(&key(1)));
        assert!(!second.keep(&key(42)), "no such entry");
        second.put(&key(99), &[b"new"]);
        assert!(second.keep(&key(99)), "written by this build");
        second.seal(true);
        let third = Packs::new(dir.path().to_path_buf(), false);
        assert_eq!(third.get(&key(1)).as_deref(), Some(&big[..]));
        assert_eq!(third.get(&key(5)), None, "collected");
    }

    #[test]
    fn an_incomplete_build_collects_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let first = Packs::new(dir.path().to_path_buf(), false);
        for i in 0..10 {
            first.put(&key(i), &[b"entry"]);
        }
        first.seal(true);
        let partial = Packs::new(dir.path().to_path_buf(), false);
        assert!(partial.get(&key(0)).is_some());
        partial.seal(false);
        let next = Packs::new(dir.path().to_path_buf(), false);
        assert!((0..10).all(|i| next.get(&key(i)).is_some()));
    }

    #[test]
    fn many_packs_are_merged_all_but_the_largest() {
        let dir = tempfile::tempdir().unwrap();
        let entry = vec![b'e'; 1000];
        let first = vec![b'f'; 5000];
        let mut largest = Vec::new();
        for build in 0..=MAX_PACKS as u32 {
            // Each build uses every entry so far and adds one: nothing is dead, but the packs
            // grow one by one until there are too many.
            assert_eq!(packs_in(dir.path()).len(), build as usize);
            let p = Packs::new(dir.path().to_path_buf(), false);
            for i in 0..build {
                assert!(p.get(&key(i)).is_some());
            }
            p.put(&key(build), &[if build == 0 { &first } else { &entry }]);
            p.seal(true);
            if build == 0 {
                largest = packs_in(dir.path());
            }
        }
        let after = packs_in(dir.path());
        assert_eq!(after.len(), 2, "{after:?}");
        assert!(
            after.contains(&largest[0]),
            "the largest pack is not copied again"
        );
        let next = Packs::new(dir.path().to_path_buf(), false);
        assert!((0..=MAX_PACKS as u32).all(|i| next.get(&key(i)).is_some()));
    }

    #[test]
    fn the_one_file_per_entry_layout_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ab")).unwrap();
        std::fs::write(dir.path().join("ab/cdef"), b"old entry").unwrap();
        assert_eq!(
            Packs::new(dir.path().to_path_buf(), false).get(&key(1)),
            None
        );
        assert!(packs_in(dir.path()).is_empty());
    }

    #[test]
    fn one_key_written_twice_in_a_build_is_stored_once() {
        let dir = tempfile::tempdir().unwrap();
        let p = Packs::new(dir.path().to_path_buf(), false);
        p.put(&key(1), &[b"same"]);
        p.put(&key(1), &[b"same"]);
        p.seal(true);
        let size = std::fs::metadata(dir.path().join(&packs_in(dir.path())[0]))
            .unwrap()
            .len();
        assert_eq!(size as usize, MAGIC.len() + 4 + SLOT + TRAILER);
    }
}
