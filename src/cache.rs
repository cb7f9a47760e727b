//! A content-addressed cache of build products, so a rebuild redoes only what changed.
//!
//! Memoisation, not hand-kept invalidation (Zola's partial rebuilds rotted that way): every
//! product is stored under a BLAKE3 hash of *all* of its inputs — a page under the hash of the
//! theme's templates, the template name, the page's complete view and its body's Markdown
//! source; a body's plain text under the hash of that source (kept many to a file, see
//! [`pack`]); the search index under the hash of every document it indexes. A changed input
//! is a different key, so a stale product can never be used. The folder (`.gazette-cache/` in
//! the site root by default) can be deleted at any time; deleting it only makes the next build
//! slower, and the output bytes are the same with or without it.
//!
//! Nothing read from the cache is trusted blindly (issue 16): every entry's file name carries
//! a BLAKE3 check of its bytes (packed entries carry one each, see [`pack`]), checked on every
//! use; a garbled, truncated or foreign entry is deleted and rebuilt. And every key starts
//! with the identity of the binary — a hash of the source it was built from, made by
//! `build.rs` — so a fixed renderer never reuses the pages its predecessor rendered, even at
//! the same version number.

/// The source hash that is this binary's identity: the code `build.rs` runs (by `include!`),
/// here for its tests (`identity_tests`).
#[cfg(test)]
mod identity;
#[cfg(test)]
mod identity_tests;
mod pack;
pub mod record;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use pack::Packs;

/// The cache folder, relative to the site root.
pub const DEFAULT_DIR: &str = ".gazette-cache";

/// Bumped whenever what a key means changes, so old entries are never misread; and the hash
/// of the source this binary was built from (`build.rs`), so a rebuilt gazette never reuses
/// what another build of it made.
const VERSION: &str = concat!(
    "gazette-cache-v2-",
    env!("CARGO_PKG_VERSION"),
    "-",
    env!("GAZETTE_SOURCE_HASH")
);

/// The check of an entry's bytes, spelled in its file name.
type Sum = [u8; 16];

fn sum(bytes: &[u8]) -> Sum {
    sum_of(blake3::hash(bytes).as_bytes())
}

/// The check of bytes whose BLAKE3 hash is `hash`: its first half.
fn sum_of(hash: &[u8; 32]) -> Sum {
    let mut s = [0u8; 16];
    s.copy_from_slice(&hash[..16]);
    s
}

fn sum_hex(s: &Sum) -> String {
    s.iter().map(|b| format!("{b:02x}")).collect()
}

fn sum_from_hex(hex: &str) -> Option<Sum> {
    if hex.len() != 32 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    let mut s = [0u8; 16];
    for (i, byte) in s.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(s)
}

/// A 256-bit key.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Key([u8; 32]);

/// A key is a BLAKE3 hash: its first eight bytes are as good as all of it in a hash map, and
/// a fourth of the hashing (a rebuild looks up 10 000s of keys).
impl std::hash::Hash for Key {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut first = [0u8; 8];
        first.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(first));
    }
}

impl Key {
    /// Hashes `parts` (each length-prefixed, so `["ab", "c"]` ≠ `["a", "bc"]`).
    pub fn of(parts: &[&[u8]]) -> Key {
        // The bytes [`KeyBuilder`] hashes, fed straight to the hasher: a few parts gain
        // nothing from its buffer, which was allocated (8 KB) and grown to the size of a
        // body for each of the 100 000 keys a build makes.
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
        Key::builder_for(VERSION)
    }

    /// [`Key::builder`] as a binary whose [`VERSION`] is `version` would start it.
    fn builder_for(version: &str) -> KeyBuilder {
        let mut h = blake3::Hasher::new();
        h.update(version.as_bytes());
        KeyBuilder {
            hasher: h,
            pending: Vec::with_capacity(8 * 1024),
        }
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key whose bytes are `bytes` (as [`Key::as_bytes`] gave them).
    pub fn from_bytes(bytes: [u8; 32]) -> Key {
        Key(bytes)
    }

    fn hex(&self) -> String {
        // Computed for every page stored or placed: one string, not one per byte.
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(64);
        for b in self.0 {
            hex.push(char::from(DIGITS[usize::from(b >> 4)]));
            hex.push(char::from(DIGITS[usize::from(b & 15)]));
        }
        hex
    }

    /// The key spelled by 64 lowercase hex digits (a cache file's shard and name).
    fn from_hex(hex: &str) -> Option<Key> {
        if hex.len() != 64 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let mut key = [0u8; 32];
        for (i, byte) in key.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).ok()?;
        }
        Some(Key(key))
    }
}

/// [`Key::of`] one part at a time: `Key::builder().part(a).part(b).finish() == Key::of(&[a, b])`.
///
/// Parts are gathered into a buffer and hashed a block at a time: a page's view is thousands
/// of parts of a few bytes, and BLAKE3 fed byte strings that small spent more time per call
/// than on the bytes.
pub struct KeyBuilder {
    hasher: blake3::Hasher,
    pending: Vec<u8>,
}

impl KeyBuilder {
    const BUFFER: usize = 64 * 1024;

    pub fn part(&mut self, p: &[u8]) -> &mut Self {
        self.pending
            .extend_from_slice(&(p.len() as u64).to_le_bytes());
        if self.pending.len() + p.len() > Self::BUFFER {
            self.hasher.update(&self.pending);
            self.pending.clear();
            self.hasher.update(p);
        } else {
            self.pending.extend_from_slice(p);
        }
        self
    }

    /// Feeds a JSON value: every node tagged, every string and count length-prefixed, so two
    /// different values never feed the same bytes. Walking the value costs far less than
    /// serializing it to text first, and a page's view is a value anyway (Tera renders one).
    pub fn json(&mut self, v: &serde_json::Value) -> &mut Self {
        use serde_json::Value;
        match v {
            Value::Null => self.part(b"n"),
            Value::Bool(b) => self.part(if *b { b"t" } else { b"f" }),
            Value::Number(n) => self.part(b"#").part(n.to_string().as_bytes()),
            Value::String(s) => self.part(b"s").part(s.as_bytes()),
            Value::Array(items) => {
                self.part(b"[").part(&(items.len() as u64).to_le_bytes());
                for item in items {
                    self.json(item);
                }
                self
            }
            Value::Object(map) => self.json_map(map),
        }
    }

    /// [`Self::json`] of an object.
    pub fn json_map(&mut self, map: &serde_json::Map<String, serde_json::Value>) -> &mut Self {
        self.part(b"{").part(&(map.len() as u64).to_le_bytes());
        for (k, item) in map {
            self.part(k.as_bytes()).json(item);
        }
        self
    }

    pub fn finish(&self) -> Key {
        let mut hasher = self.hasher.clone();
        hasher.update(&self.pending);
        Key(*hasher.finalize().as_bytes())
    }
}

/// What a cache entry holds. Each kind is a folder of the cache, kept and cleared on its own
/// (a damaged output empties the pages, never the search terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Whole rendered pages, hard-linked into the output.
    Page,
    /// A document's body rendered to HTML (packed: one small entry per document).
    Markdown,
    /// The whole search index, for a build whose searchable text did not change.
    SearchIndex,
    /// The words of one document's searchable text (packed).
    SearchTerms,
    /// One gzip-compressed index file, by the hash of its uncompressed bytes (packed).
    SearchGz,
    /// What the last build's search shards were made of, for the next to patch them (one entry
    /// per order of the documents, replaced by each build).
    SearchState,
    /// The proofreading warnings of one document file's text (packed; most are empty).
    Proofread,
    /// One document file's own check: the document, its diagnostics and what its attachment
    /// lookups found (packed; `validate::memo`).
    Checked,
    /// Which pages a document, or the list pass, wrote: their folders and page keys, under a
    /// key of what they are made of computed without their views (packed; `render/replay.rs`).
    Replay,
    /// The open data, statistics and feeds, under the key of the site they are made of
    /// (packed; `session/write.rs`).
    Exports,
}

impl Kind {
    /// Whether a rebuild reads nearly every entry of this packed kind: every document's kept
    /// check and replay record. Its packs are then read whole ([`pack`]).
    fn read_whole(self) -> bool {
        matches!(self, Kind::Checked | Kind::Replay)
    }

    /// The kind's folder in the cache; these names are on disk in existing caches.
    pub fn dir(self) -> &'static str {
        match self {
            Kind::Page => "pages",
            Kind::Markdown => "markdown",
            Kind::SearchIndex => "search",
            Kind::SearchTerms => "search-terms",
            Kind::SearchGz => "search-gz",
            Kind::SearchState => "search-state",
            Kind::Proofread => "proofread",
            Kind::Checked => "checked",
            Kind::Replay => "replay",
            Kind::Exports => "exports",
        }
    }
}

/// The on-disk store. `None` folder = caching off (every lookup misses, nothing is stored).
///
/// Which keys each kind holds is read from disk once, on the first lookup of that kind, and
/// kept in memory: a lookup that misses then costs no system call at all. On a clean build
/// every lookup misses, and probing the disk for each of 100 000 pages (a failed link, a
/// failed open) was a tenth of the build's time.
pub struct Cache {
    dir: Option<PathBuf>,
    index: Mutex<HashMap<Kind, Entries>>,
    /// Kinds stored many entries to a file (see [`pack`]).
    packs: Mutex<HashMap<Kind, Arc<Packs>>>,
    pub hits: AtomicUsize,
    pub misses: AtomicUsize,
    /// Set by [`Cache::stop_keeping`]: nothing more is stored.
    stopped: AtomicBool,
}

/// The keys of one kind known to be on disk, each with the check of its bytes.
#[derive(Default)]
struct Entries {
    keys: HashMap<Key, Sum>,
    /// The keys this build found or stored: what [`Cache::finish`] keeps.
    used: std::collections::HashSet<Key>,
    /// Whether the 256 shard folders have been made (once, before the first store).
    shards_made: bool,
}

impl Cache {
    pub fn new(dir: Option<PathBuf>) -> Cache {
        Cache {
            dir,
            index: Mutex::new(HashMap::new()),
            packs: Mutex::new(HashMap::new()),
            hits: AtomicUsize::new(0),
            misses: AtomicUsize::new(0),
            stopped: AtomicBool::new(false),
        }
    }

    pub fn disabled() -> Cache {
        Cache::new(None)
    }

    /// Stores nothing more, from now on: the build has met an input that is not what its keys
    /// say (a file saved again while it ran, `source::read_known`), and what it makes from
    /// here may be made of it. It fails; what it stored before is sound.
    pub fn stop_keeping(&self) {
        self.stopped.store(true, Ordering::SeqCst);
    }

    /// Whether [`Cache::stop_keeping`] was called.
    fn stopped(&self) -> bool {
        self.stopped.load(Ordering::SeqCst)
    }

    /// Whether there is a cache folder at all (`--no-cache` builds skip computing keys).
    pub fn enabled(&self) -> bool {
        self.dir.is_some()
    }

    /// `<kind>/<2 hex of the key>/<62 hex of the key>.<32 hex of the bytes' check>`.
    fn path(&self, kind: Kind, key: &Key, sum: &Sum) -> Option<PathBuf> {
        let hex = key.hex();
        self.dir.as_ref().map(|d| {
            d.join(kind.dir())
                .join(&hex[..2])
                .join(format!("{}.{}", &hex[2..], sum_hex(sum)))
        })
    }

    /// Runs `f` on the index of `kind`, reading it from disk first if this is its first use.
    fn with_entries<R>(&self, kind: Kind, f: impl FnOnce(&mut Entries) -> R) -> R {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        let entries = index.entry(kind).or_insert_with(|| Entries {
            keys: self
                .dir
                .as_ref()
                .map(|d| stored_keys(&d.join(kind.dir())))
                .unwrap_or_default(),
            used: Default::default(),
            shards_made: false,
        });
        f(entries)
    }

    /// The check of the entry for `key` if it is on disk (as far as this build knows);
    /// counts a miss if not.
    fn known(&self, kind: Kind, key: &Key) -> Option<Sum> {
        let known = self.dir.as_ref().and_then(|_| {
            self.with_entries(kind, |e| {
                let sum = e.keys.get(key).copied();
                if sum.is_some() {
                    e.used.insert(*key);
                }
                sum
            })
        });
        if known.is_none() {
            self.misses.fetch_add(1, Ordering::Relaxed);
        }
        known
    }

    /// The bytes of the entry for `key` if they match their check. A damaged entry is
    /// deleted (and forgotten): the caller rebuilds it.
    fn verified(&self, kind: Kind, key: &Key) -> Option<(PathBuf, Vec<u8>)> {
        let expected = self.known(kind, key)?;
        let path = self.path(kind, key, &expected)?;
        let found = std::fs::read(&path)
            .ok()
            .filter(|bytes| sum(bytes) == expected);
        if found.is_none() {
            let _ = std::fs::remove_file(&path);
            self.with_entries(kind, |e| e.keys.remove(key));
        }
        self.count(found.is_some());
        found.map(|bytes| (path, bytes))
    }

    /// The cached bytes for `key`, if present and intact.
    pub fn get(&self, kind: Kind, key: &Key) -> Option<Vec<u8>> {
        self.verified(kind, key).map(|(_, bytes)| bytes)
    }

    fn count(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The packs of `kind`; `None` when caching is off.
    fn packs(&self, kind: Kind) -> Option<Arc<Packs>> {
        let dir = self.dir.as_ref()?;
        let mut packs = self.packs.lock().unwrap_or_else(|e| e.into_inner());
        Some(Arc::clone(packs.entry(kind).or_insert_with(|| {
            Arc::new(Packs::new(dir.join(kind.dir()), kind.read_whole()))
        })))
    }

    /// [`Cache::get`] for a kind kept in packs: one small entry per document, too many for a
    /// file each.
    pub fn get_packed(&self, kind: Kind, key: &Key) -> Option<Vec<u8>> {
        let found = self.packs(kind).and_then(|p| p.get(key));
        self.count(found.is_some());
        found
    }

    /// Keeps the packed entry `key` of `kind` for the next build without reading it, as if this
    /// build had used it (see [`Cache::finish`]); `false` if there is no such entry.
    pub fn keep_packed(&self, kind: Kind, key: &Key) -> bool {
        self.packs(kind).is_some_and(|p| p.keep(key))
    }

    /// Stores the concatenation of `parts` under `key` in this build's pack of `kind`.
    pub fn put_packed(&self, kind: Kind, key: &Key, parts: &[&[u8]]) {
        if self.stopped() {
            return;
        }
        if let Some(p) = self.packs(kind) {
            p.put(key, parts);
        }
    }

    /// Called once a build has rendered everything: seals the packs it wrote and removes the
    /// packed entries it no longer used, so the cache does not grow with every edit. (A build
    /// that stops early only seals its packs, when the cache is dropped.)
    pub fn finish(&self) {
        let packs: Vec<Arc<Packs>> = self
            .packs
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        for p in packs {
            p.seal(true);
        }
        self.collect();
    }

    /// Deletes the entries of a kind of one file each that this build did not use, once
    /// there are more than twice as many as it used (the rule of the packs, see [`pack`]).
    /// Without it the pages of every earlier gazette (each key starts with the binary's
    /// identity) and every page an edit replaced stayed for good: 120 000 files in a cache
    /// whose builds use 12 000, listed by every build. Twice, not once: `serve` (whose pages
    /// link to the preview's address) and `build` share the cache without deleting each
    /// other's pages at every turn.
    fn collect(&self) {
        let mut index = self.index.lock().unwrap_or_else(|e| e.into_inner());
        for (kind, entries) in index.iter_mut() {
            if entries.used.is_empty() || entries.keys.len() <= 2 * entries.used.len() {
                continue;
            }
            let unused: Vec<(Key, Sum)> = entries
                .keys
                .iter()
                .filter(|(k, _)| !entries.used.contains(*k))
                .map(|(k, s)| (*k, *s))
                .collect();
            for (key, sum) in unused {
                if let Some(path) = self.path(*kind, &key, &sum) {
                    let _ = std::fs::remove_file(path);
                }
                entries.keys.remove(&key);
            }
        }
    }

    /// Stores `bytes` under `key`. Failures are ignored: a cache that cannot be written only
    /// costs speed, never correctness. Written to a temporary name and renamed, so a killed
    /// build never leaves a truncated entry behind.
    pub fn put(&self, kind: Kind, key: &Key, bytes: &[u8]) {
        self.put_with(kind, key, |out| out.write_all(bytes));
    }

    /// Keeps `dest`, which the caller has just written with `bytes`, under `key`: one file
    /// with two names (output and cache), so a clean build writes each page once, not twice.
    /// The cache's name is linked only once the file is complete, so a killed build leaves no
    /// truncated entry; a failed link only costs speed. (The caller writes `dest` itself so
    /// that the cache never imports the output stage. An in-place edit of the output would
    /// reach the cache through the shared file: the entry's bytes no longer match the sum in its
    /// name, which [`Cache::place`] checks, and a page kept as it stands in the site before
    /// last is kept only when that site is as its stamp lists it.)
    /// `hash` is the BLAKE3 hash of the bytes written (the caller made it once, for its own
    /// record of the file too).
    pub fn keep_written(&self, kind: Kind, key: &Key, hash: &[u8; 32], dest: &Path) {
        let check = sum_of(hash);
        if !self.stopped()
            && let Some(path) = self.path(kind, key, &check)
            && self.make_shards(kind)
            && std::fs::hard_link(dest, &path).is_ok()
        {
            self.with_entries(kind, |e| {
                e.used.insert(*key);
                e.keys.insert(*key, check)
            });
        }
    }

    /// Makes the shard folders of `kind` (once per build); `false` if they cannot be made.
    fn make_shards(&self, kind: Kind) -> bool {
        let Some(dir) = &self.dir else { return false };
        self.with_entries(kind, |e| {
            if !e.shards_made {
                let root = dir.join(kind.dir());
                e.shards_made = (0..=255u8)
                    .all(|b| std::fs::create_dir_all(root.join(format!("{b:02x}"))).is_ok());
            }
            e.shards_made
        })
    }

    /// Forgets every entry of `kind`.
    pub fn clear(&self, kind: Kind) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir.join(kind.dir()));
            self.index
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(kind, Entries::default());
        }
    }

    /// Stores what `write` writes under `key`, streamed to the file (for entries too large to
    /// hold twice in memory). Failures are ignored, as in [`Cache::put`]; the entry appears
    /// under its name only once complete.
    pub fn put_with(
        &self,
        kind: Kind,
        key: &Key,
        write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) {
        if self.stopped() {
            return;
        }
        let Some(unchecked) = self.path(kind, key, &[0; 16]) else {
            return;
        };
        if !self.make_shards(kind) {
            return;
        }
        let tmp = unchecked.with_extension(format!("tmp{}", std::process::id()));
        let written = std::fs::File::create(&tmp).and_then(|f| {
            let mut out = Summing {
                out: std::io::BufWriter::new(f),
                hasher: blake3::Hasher::new(),
            };
            write(&mut out)?;
            out.out.flush()?;
            let mut check = [0u8; 16];
            check.copy_from_slice(&out.hasher.finalize().as_bytes()[..16]);
            Ok(check)
        });
        let stored = written.ok().and_then(|check| {
            let path = self.path(kind, key, &check)?;
            std::fs::rename(&tmp, &path).ok().map(|()| check)
        });
        match stored {
            Some(check) => {
                // An entry stored again under its key (`SearchState`): the older file goes.
                let older = self.with_entries(kind, |e| {
                    e.used.insert(*key);
                    e.keys.insert(*key, check)
                });
                if let Some(older) = older.filter(|older| *older != check)
                    && let Some(path) = self.path(kind, key, &older)
                {
                    let _ = std::fs::remove_file(path);
                }
            }
            None => {
                let _ = std::fs::remove_file(&tmp);
            }
        }
    }

    /// Places the cached page for `key` at `dest`, once its bytes match their check — a hard
    /// link when the filesystem allows (see [`Cache::keep_written`]), else the bytes written.
    /// `false` when there is no such entry, or it was damaged (then it is deleted).
    pub fn place(&self, kind: Kind, key: &Key, dest: &Path) -> bool {
        let Some((src, bytes)) = self.verified(kind, key) else {
            return false;
        };
        if let Some(parent) = dest.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        // Whatever is at `dest` is replaced, never written through: in a site taken up again
        // (`output::tree`) it may be another name of a page being served.
        let linked = match std::fs::hard_link(&src, dest) {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                std::fs::remove_file(dest).is_ok() && std::fs::hard_link(&src, dest).is_ok()
            }
            r => r.is_ok(),
        };
        linked
            || (std::fs::remove_file(dest).is_ok() || !dest.exists())
                && std::fs::write(dest, &bytes).is_ok()
    }

    /// The check of the entry for `key` (the first half of the BLAKE3 hash of its bytes, as in
    /// its name), when this build knows of one, without reading it: a page the output already
    /// holds with that check needs nothing (`output::tree`; the caller then counts the hit with
    /// [`Cache::hit`]). `None` counts a miss.
    pub fn known_sum(&self, kind: Kind, key: &Key) -> Option<[u8; 16]> {
        self.known(kind, key)
    }

    /// Where the entry for `key` with the check `sum` ([`Cache::known_sum`]) is.
    pub fn entry_at(&self, kind: Kind, key: &Key, sum: &[u8; 16]) -> Option<PathBuf> {
        self.path(kind, key, sum)
    }

    /// Counts a hit the caller made of an entry it found by [`Cache::known_sum`].
    pub fn hit(&self) {
        self.count(true);
    }
}

/// Counts what is written through it into a check, for entries streamed to their file.
struct Summing<W> {
    out: W,
    hasher: blake3::Hasher,
}

impl<W: Write> Write for Summing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.out.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// The keys stored under `root` (`<root>/<2 hex>/<62 hex>.<32 hex>`), with their checks;
/// temporary files and names of any other form are skipped.
fn stored_keys(root: &Path) -> HashMap<Key, Sum> {
    let Ok(shards) = std::fs::read_dir(root) else {
        return HashMap::new();
    };
    let mut keys = HashMap::new();
    for shard in shards.flatten() {
        let prefix = shard.file_name();
        let Some(prefix) = prefix.to_str().filter(|p| p.len() == 2) else {
            continue;
        };
        let Ok(files) = std::fs::read_dir(shard.path()) else {
            continue;
        };
        for file in files.flatten() {
            if let Some(name) = file.file_name().to_str()
                && let Some((rest, check)) = name.split_once('.')
                && let Some(key) = Key::from_hex(&format!("{prefix}{rest}"))
                && let Some(check) = sum_from_hex(check)
            {
                keys.insert(key, check);
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_built_part_by_part_is_the_same_key() {
        let k = Key::builder().part(b"ab").part(b"c").finish();
        assert_eq!(k, Key::of(&[b"ab", b"c"]));
        assert_ne!(k, Key::of(&[b"a", b"bc"]));
        // Parts larger than the buffer, and many small ones past it.
        let big = vec![7u8; KeyBuilder::BUFFER + 3];
        let small: Vec<[u8; 5]> = (0..20_000u32).map(|i| [i as u8, 1, 2, 3, 4]).collect();
        let mut parts: Vec<&[u8]> = vec![b"x", &big];
        parts.extend(small.iter().map(|p| &p[..]));
        let mut b = Key::builder();
        for p in &parts {
            b.part(p);
        }
        assert_eq!(b.finish(), Key::of(&parts));
    }

    #[test]
    fn json_values_that_differ_give_different_keys() {
        use serde_json::json;
        let key = |v: serde_json::Value| Key::builder().json(&v).finish();
        let values = [
            json!(null),
            json!(""),
            json!("1"),
            json!(1),
            json!(true),
            json!([]),
            json!({}),
            json!(["a", "b"]),
            json!(["ab"]),
            json!([["a"], "b"]),
            json!({"a": "b"}),
            json!({"ab": ""}),
            json!({"a": ["b"]}),
        ];
        for (i, a) in values.iter().enumerate() {
            assert_eq!(key(a.clone()), key(a.clone()));
            for b in &values[i + 1..] {
                assert_ne!(key(a.clone()), key(b.clone()), "{a} vs {b}");
            }
        }
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
        assert_eq!(cache.get(Kind::Page, &k), None);
        cache.put(Kind::Page, &k, b"<html>");
        assert_eq!(cache.get(Kind::Page, &k).as_deref(), Some(&b"<html>"[..]));
        let dest = dir.path().join("out/index.html");
        assert!(cache.place(Kind::Page, &k, &dest));
        assert_eq!(std::fs::read(dest).unwrap(), b"<html>");
    }

    #[test]
    fn a_new_cache_over_the_same_folder_finds_what_was_stored() {
        let dir = tempfile::tempdir().unwrap();
        let k = Key::of(&[b"page"]);
        let dest = dir.path().join("out/a/index.html");
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, b"<p>a").unwrap();
        Cache::new(Some(dir.path().join("c"))).keep_written(
            Kind::Page,
            &k,
            blake3::hash(b"<p>a").as_bytes(),
            &dest,
        );
        assert_eq!(std::fs::read(&dest).unwrap(), b"<p>a");
        let again = Cache::new(Some(dir.path().join("c")));
        let copy = dir.path().join("out/b/index.html");
        assert!(again.place(Kind::Page, &k, &copy));
        assert_eq!(std::fs::read(copy).unwrap(), b"<p>a");
        assert!(!again.place(
            Kind::Page,
            &Key::of(&[b"other"]),
            &dir.path().join("x.html")
        ));
    }

    #[test]
    fn a_cache_told_to_stop_keeping_stores_nothing_more() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().join("c")));
        let (before, after) = (Key::of(&[b"before"]), Key::of(&[b"after"]));
        cache.put(Kind::Page, &before, b"<p>sound");
        cache.stop_keeping();
        cache.put(Kind::Page, &after, b"<p>made of another text");
        cache.put_packed(Kind::Markdown, &after, &[b"another text"]);
        let dest = dir.path().join("out/index.html");
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::write(&dest, b"<p>x").unwrap();
        cache.keep_written(Kind::Page, &after, blake3::hash(b"<p>x").as_bytes(), &dest);
        cache.finish();
        let next = Cache::new(Some(dir.path().join("c")));
        assert_eq!(
            next.get(Kind::Page, &before).as_deref(),
            Some(&b"<p>sound"[..])
        );
        assert_eq!(next.get(Kind::Page, &after), None);
        assert_eq!(next.get_packed(Kind::Markdown, &after), None);
    }

    #[test]
    fn an_entry_deleted_behind_the_builds_back_is_a_miss_not_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::new(Some(dir.path().join("c")));
        let k = Key::of(&[b"page"]);
        cache.put(Kind::Page, &k, b"<html>");
        std::fs::remove_dir_all(dir.path().join("c")).unwrap();
        assert_eq!(cache.get(Kind::Page, &k), None);
        assert!(!cache.place(Kind::Page, &k, &dir.path().join("out.html")));
    }

    #[test]
    fn an_entry_stored_again_under_its_key_replaces_the_older_file() {
        let dir = tempfile::tempdir().unwrap();
        let k = Key::of(&[b"state"]);
        Cache::new(Some(dir.path().join("c"))).put(Kind::SearchState, &k, b"first");
        let again = Cache::new(Some(dir.path().join("c")));
        again.put(Kind::SearchState, &k, b"second");
        let shard = dir.path().join("c/search-state").join(&k.hex()[..2]);
        assert_eq!(std::fs::read_dir(shard).unwrap().count(), 1);
        let next = Cache::new(Some(dir.path().join("c")));
        assert_eq!(
            next.get(Kind::SearchState, &k).as_deref(),
            Some(&b"second"[..])
        );
    }

    #[test]
    fn hex_names_round_trip_and_strays_are_ignored() {
        let k = Key::of(&[b"x"]);
        assert_eq!(Key::from_hex(&k.hex()), Some(k));
        let spelled: String = k.0.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(k.hex(), spelled);
        assert_eq!(Key::from_hex("zz"), None);
        assert_eq!(Key::from_hex(&format!("{}.tmp1", &k.hex()[..59])), None);
    }
}
