//! The folder a build writes its site into, fresh or the site before last taken up again.
//!
//! A build publishes by swapping a whole folder in (see [`super::Staging`]), so the site it
//! writes must be complete. Writing all of it into an empty folder costs a file for every page
//! even when one document changed: at 10 000 documents, 38 000 files linked or written, about
//! a second of a build whose real work is a tenth of that. So the site that was published
//! before the last build is kept beside the output ([`super::PREVIOUS`]) with the listing its
//! build recorded; the next build takes it up as its staging folder, once it is exactly as that
//! listing says, and writes only what differs:
//!
//! - a page that is already the cache's file for its key (the same inode) is left alone;
//! - a file written with the bytes it already has is left alone;
//! - anything else is written as a new file, never through the old one: the old one may be a
//!   hard link shared with the page cache and with the site being served now;
//! - what the build did not write is deleted at the end ([`Tree::finish`]).
//!
//! The result is the same folder a fresh build makes, file for file (a test builds both and
//! compares them), published the same atomic way.

use foldhash::{HashMap, HashMapExt};
use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::fs::{create_dir_all, io_error};
use crate::diag::Diagnostic;

/// A file as a stamp lists it: its size and modification time (ns).
pub(crate) type Stat = (u64, u128);

/// A check of a file's bytes that a build wrote through [`Tree::write`] (the first half of
/// their BLAKE3 hash), recorded in the stamp beside its size and modification time.
pub(crate) type Sum = [u8; 16];

fn sum(bytes: &[u8]) -> Sum {
    sum_of(blake3::hash(bytes).as_bytes())
}

/// The check of bytes whose BLAKE3 hash is `hash`.
fn sum_of(hash: &[u8; 32]) -> Sum {
    let mut s = [0u8; 16];
    s.copy_from_slice(&hash[..16]);
    s
}

/// A folder being written with a site.
pub(crate) struct Tree {
    dir: PathBuf,
    /// A site taken up again: each file it held, by path relative to `dir`.
    before: Option<HashMap<String, Stat>>,
    /// Of those, the files its build wrote through [`Tree::write`], with the check of their
    /// bytes: a file about to be written with bytes of that check is left alone without
    /// reading it (the search index's 27 000 files at 10 000 documents, nearly all unchanged).
    sums: HashMap<String, Sum>,
    /// Every file this build wrote or kept, as it is now: the stamp's listing of the new site
    /// (listing the folder again took a tenth of a rebuild at 10 000 documents), with the
    /// check of the bytes of those written in a site taken up again.
    made: Mutex<HashMap<String, (Stat, Option<Sum>)>>,
}

impl Tree {
    /// An empty folder (or one that will be made): everything is written.
    pub(crate) fn fresh(dir: PathBuf) -> Tree {
        Tree {
            dir,
            before: None,
            sums: HashMap::new(),
            made: Mutex::new(HashMap::new()),
        }
    }

    /// A folder holding `files` (`(path, size, modification time)`, as [`super::stamp`] lists
    /// them), exactly; `sums` are the checks its build recorded of the files it wrote.
    pub(crate) fn reused(
        dir: PathBuf,
        files: impl IntoIterator<Item = (String, u64, u128)>,
        sums: HashMap<String, Sum>,
    ) -> Tree {
        Tree {
            dir,
            before: Some(files.into_iter().map(|(p, s, m)| (p, (s, m))).collect()),
            sums,
            made: Mutex::new(HashMap::new()),
        }
    }

    /// Every file of the new site, `(path, size, modification time)` sorted by path, as
    /// [`super::stamp`] lists a folder.
    #[cfg(test)]
    pub(crate) fn listing(&self) -> Vec<(String, u64, u128)> {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let mut files: Vec<(String, u64, u128)> = made
            .iter()
            .map(|(p, ((s, m), _))| (p.clone(), *s, *m))
            .collect();
        files.sort();
        files
    }

    /// What this build wrote and kept, sorted by path — every file with its size and
    /// modification time, and those whose check it knows with that check — handed to `with`
    /// without copying the paths (40 000 at 10 000 documents): what its stamp records.
    pub(crate) fn with_made<R>(
        &self,
        with: impl FnOnce(&[(&str, u64, u128)], &[(&str, Sum)]) -> R,
    ) -> R {
        use rayon::slice::ParallelSliceMut;
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let mut all: Vec<(&str, &(Stat, Option<Sum>))> =
            made.iter().map(|(p, v)| (p.as_str(), v)).collect();
        all.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let files: Vec<(&str, u64, u128)> =
            all.iter().map(|(p, ((s, m), _))| (*p, *s, *m)).collect();
        let sums: Vec<(&str, Sum)> = all
            .iter()
            .filter_map(|(p, (_, sum))| Some((*p, (*sum)?)))
            .collect();
        with(&files, &sums)
    }

    /// The checks of the files this build wrote in a site taken up again, by path, sorted.
    #[cfg(test)]
    pub(crate) fn sums(&self) -> Vec<(String, Sum)> {
        let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
        let mut sums: Vec<(String, Sum)> = made
            .iter()
            .filter_map(|(p, (_, sum))| Some((p.clone(), (*sum)?)))
            .collect();
        sums.sort();
        sums
    }

    fn record(&self, rel: String, stat: Stat) {
        self.record_sum(rel, stat, None);
    }

    fn record_sum(&self, rel: String, stat: Stat, sum: Option<Sum>) {
        self.made
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(rel, (stat, sum));
    }

    pub(crate) fn dir(&self) -> &Path {
        &self.dir
    }

    /// The path of `dest` relative to the folder, as the listing spells it.
    fn rel(&self, dest: &Path) -> String {
        dest.strip_prefix(&self.dir)
            .unwrap_or(dest)
            .to_string_lossy()
            .into_owned()
    }

    /// Counts `dest`, written by someone else (a hard link from the cache, the marker), as
    /// part of the new site.
    pub(crate) fn keep(&self, dest: &Path) {
        if let Ok(meta) = std::fs::symlink_metadata(dest) {
            self.record(self.rel(dest), stat(&meta));
        }
    }

    /// Whether the site taken up again holds at `dest` a file of the check `sum`, by its
    /// record: a page its build placed from the cache or wrote with that check. Then it is
    /// kept as it stands, neither read nor looked at (before, two `stat`s per page: 24 000 of
    /// them in a rebuild of 10 000 documents). Always `false` in a fresh folder.
    pub(crate) fn holds_sum(&self, dest: &Path, sum: &Sum) -> bool {
        let Some(before) = &self.before else {
            return false;
        };
        let rel = self.rel(dest);
        match before.get(&rel) {
            Some(&stat) if self.sums.get(&rel) == Some(sum) => {
                self.record_sum(rel, stat, Some(*sum));
                true
            }
            _ => false,
        }
    }

    /// Records `dest`, just placed from the cache as an entry of the check `sum`, with that
    /// check: the build after next then holds it by [`Tree::holds_sum`].
    pub(crate) fn keep_placed(&self, dest: &Path, sum: Sum) {
        if let Ok(meta) = std::fs::symlink_metadata(dest) {
            self.record_sum(self.rel(dest), stat(&meta), Some(sum));
        }
    }

    /// Whether `dest` already is the file `src` (one inode: a page placed from the cache by an
    /// earlier build), whose bytes have the check `sum`. Then it is kept as it is, recorded with
    /// that check for [`Tree::holds_sum`]. Always `false` in a fresh folder.
    pub(crate) fn holds(&self, src: &Path, dest: &Path, sum: Sum) -> bool {
        if self.before.is_none() {
            return false;
        }
        let same = match (std::fs::metadata(src), std::fs::symlink_metadata(dest)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        };
        if same {
            let rel = self.rel(dest);
            match self.before.as_ref().and_then(|b| b.get(&rel)) {
                Some(stat) => self.record_sum(rel, *stat, Some(sum)),
                None => self.keep_placed(dest, sum),
            }
        }
        same
    }

    /// Writes `bytes` to `dest` (a path inside the folder), making its folders. In a site
    /// taken up again a file that already has these bytes is left alone, and any other is
    /// replaced by a new file rather than overwritten. Whether it has them is known without
    /// reading it when its build recorded the check of what it wrote there: the site was
    /// found exactly as that build listed it, sizes and modification times, so the file still
    /// holds those bytes.
    pub(crate) fn write(&self, dest: &Path, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.write_hashed(dest, bytes, None)
    }

    /// [`Tree::write`] of bytes whose BLAKE3 hash is `hash`, if known (not hashed again).
    pub(crate) fn write_hashed(
        &self,
        dest: &Path,
        bytes: &[u8],
        hash: Option<&[u8; 32]>,
    ) -> Result<(), Diagnostic> {
        let rel = self.rel(dest);
        // A fresh folder records the check only when it comes free (a hash given): the build
        // after next takes this folder up and keeps such a file unread.
        let sum = match hash {
            Some(hash) => Some(sum_of(hash)),
            None => self.before.is_some().then(|| sum(bytes)),
        };
        if let Some(&(size, mtime)) = self.before.as_ref().and_then(|b| b.get(&rel))
            && size == bytes.len() as u64
            && (sum.is_some() && self.sums.get(&rel) == sum.as_ref()
                || std::fs::read(dest).is_ok_and(|old| old == bytes))
        {
            self.record_sum(rel, (size, mtime), sum);
            return Ok(());
        }
        if let Some(parent) = dest.parent() {
            self.make_folder(parent)?;
        }
        let mut file = create_new(dest)?;
        file.write_all(bytes)
            .and_then(|()| file.metadata())
            .map(|meta| self.record_sum(rel, stat(&meta), sum))
            .map_err(|e| io_error(dest, "写入", e))
    }

    /// Whether this is a site taken up again (a fresh folder holds nothing).
    pub(crate) fn taken_up(&self) -> bool {
        self.before.is_some()
    }

    /// Whether the site taken up again holds `rel` (relative to the folder) as `len` bytes
    /// whose BLAKE3 hash is `hash`, by its record: a file its build wrote with that check and
    /// that size. Such a file can be kept ([`Tree::keep_held`]) without its bytes being read.
    pub(crate) fn holds_bytes(&self, rel: &str, len: u64, hash: &[u8; 32]) -> bool {
        self.before
            .as_ref()
            .and_then(|b| b.get(rel))
            .is_some_and(|&(size, _)| size == len)
            && self.sums.get(rel) == Some(&sum_of(hash))
    }

    /// Keeps `dest` as it stands, which [`Tree::holds_bytes`] said it holds.
    pub(crate) fn keep_held(&self, dest: &Path) -> Result<(), Diagnostic> {
        let rel = self.rel(dest);
        let kept = self.before.as_ref().and_then(|b| b.get(&rel)).copied();
        match (kept, self.sums.get(&rel).copied()) {
            (Some(stat), Some(sum)) => {
                self.record_sum(rel, stat, Some(sum));
                Ok(())
            }
            _ => Err(io_error(
                dest,
                "保留",
                std::io::Error::new(std::io::ErrorKind::NotFound, "上上次的网站中没有这个文件"),
            )),
        }
    }

    /// Makes `folder` and its parents. In a site taken up again, a file of the old site may
    /// stand where this one needs a folder: it goes (it is not part of the new site, which
    /// wants a folder there).
    fn make_folder(&self, folder: &Path) -> Result<(), Diagnostic> {
        if std::fs::create_dir_all(folder).is_ok() || self.before.is_none() {
            return create_dir_all(folder);
        }
        let mut at = folder;
        while at != self.dir {
            if std::fs::symlink_metadata(at).is_ok_and(|m| !m.is_dir()) {
                std::fs::remove_file(at).map_err(|e| io_error(at, "替换", e))?;
                break;
            }
            match at.parent() {
                Some(p) => at = p,
                None => break,
            }
        }
        create_dir_all(folder)
    }

    /// Copies the file `from` (outside the folder) to `dest` as [`Tree::write`] writes: a copy,
    /// not a hard link, which would let an edit to the source change the published file.
    pub(crate) fn copy(&self, from: &Path, dest: &Path) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from).map_err(|e| io_error(from, "复制", e))?;
        self.write(dest, &bytes)
    }

    /// In a site taken up again: deletes every file this build did not write or keep, and the
    /// folders that leaves empty. Returns how many files went.
    pub(crate) fn finish(&self) -> Result<usize, Diagnostic> {
        let Some(before) = &self.before else {
            return Ok(0);
        };
        // Named under the lock, deleted without it: the stamp is made from `made` meanwhile.
        let mut gone: Vec<&String> = {
            let made = self.made.lock().unwrap_or_else(|e| e.into_inner());
            before.keys().filter(|p| !made.contains_key(*p)).collect()
        };
        gone.sort();
        let mut folders: Vec<PathBuf> = Vec::new();
        for rel in &gone {
            let path = self.dir.join(rel);
            match std::fs::symlink_metadata(&path) {
                Ok(m) if !m.is_dir() => {
                    std::fs::remove_file(&path).map_err(|e| io_error(&path, "删除", e))?;
                }
                // Gone already, or a folder of the new site stands there now.
                _ => continue,
            }
            let mut parent = path.parent();
            while let Some(p) = parent.filter(|p| *p != self.dir) {
                folders.push(p.to_path_buf());
                parent = p.parent();
            }
        }
        // Deepest first, so that a folder emptied of folders goes too; a folder that still
        // holds something stays (the call fails and is ignored).
        folders.sort_by_key(|f| std::cmp::Reverse(f.components().count()));
        folders.dedup();
        for f in folders {
            let _ = std::fs::remove_dir(f);
        }
        Ok(gone.len())
    }
}

/// A file's size and modification time, as [`super::stamp`] reads them.
fn stat(meta: &std::fs::Metadata) -> Stat {
    (meta.len(), super::stamp::mtime(meta))
}

/// Opens `dest` as a new file: whatever was at that name is unlinked first, never written
/// through (it may be a hard link to a cache entry or to a published page).
fn create_new(dest: &Path) -> Result<std::fs::File, Diagnostic> {
    match std::fs::File::create_new(dest) {
        Ok(f) => Ok(f),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            // A folder of an older site where this build wants a file goes whole.
            let removed = if std::fs::symlink_metadata(dest).is_ok_and(|m| m.is_dir()) {
                std::fs::remove_dir_all(dest)
            } else {
                std::fs::remove_file(dest)
            };
            removed.map_err(|e| io_error(dest, "替换", e))?;
            std::fs::File::create_new(dest).map_err(|e| io_error(dest, "写入", e))
        }
        Err(e) => Err(io_error(dest, "写入", e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree_with(dir: &Path, files: &[(&str, &str)]) -> Tree {
        for (p, text) in files {
            let path = dir.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        let tree = Tree::fresh(dir.to_path_buf());
        for (p, _) in files {
            tree.keep(&dir.join(p));
        }
        Tree::reused(dir.to_path_buf(), tree.listing(), HashMap::new())
    }

    #[test]
    fn a_reused_site_keeps_what_is_the_same_and_loses_what_was_not_written() {
        let dir = tempfile::tempdir().unwrap();
        let tree = tree_with(
            dir.path(),
            &[
                ("a/index.html", "same"),
                ("b/index.html", "old"),
                ("gone/deep/index.html", "x"),
                ("gone/other.txt", "y"),
            ],
        );
        let mtime = |p: &str| {
            std::fs::metadata(dir.path().join(p))
                .unwrap()
                .modified()
                .unwrap()
        };
        let before = mtime("a/index.html");
        std::thread::sleep(std::time::Duration::from_millis(20));
        tree.write(&dir.path().join("a/index.html"), b"same")
            .unwrap();
        tree.write(&dir.path().join("b/index.html"), b"new")
            .unwrap();
        tree.write(&dir.path().join("c/index.html"), b"added")
            .unwrap();
        assert_eq!(tree.finish().unwrap(), 2);
        assert_eq!(
            mtime("a/index.html"),
            before,
            "an unchanged file is not written again"
        );
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert_eq!(read("b/index.html"), "new");
        assert_eq!(read("c/index.html"), "added");
        assert!(!dir.path().join("gone").exists(), "emptied folders go too");
    }

    /// A site taken up again with `s/1.json.gz` and `s/2.json.gz` written over it (`AAAA`,
    /// `BBBB`), and the checks it recorded.
    fn two_written(site: &Path) -> (Tree, HashMap<String, Sum>) {
        let first = tree_with(site, &[("s/1.json.gz", "aaaa"), ("s/2.json.gz", "bbbb")]);
        first.write(&site.join("s/1.json.gz"), b"AAAA").unwrap();
        first.write(&site.join("s/2.json.gz"), b"BBBB").unwrap();
        let sums = first.sums().into_iter().collect();
        (first, sums)
    }

    #[test]
    fn a_file_its_build_recorded_the_check_of_is_not_read_again() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        // A build over a site taken up again records the check of what it writes.
        let (first, sums) = two_written(&site);
        assert_eq!(sums.len(), 2);
        // Behind the stamp's back, `1` gets other bytes of its size and its old time: only a
        // file that was read could tell.
        let path = site.join("s/1.json.gz");
        let time = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::fs::write(&path, "XXXX").unwrap();
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(time)
            .unwrap();
        let next = Tree::reused(site.clone(), first.listing(), sums);
        next.write(&path, b"AAAA").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"XXXX", "left alone, unread");
        // With bytes of another check, the file is compared and written as usual.
        next.write(&site.join("s/2.json.gz"), b"CCCC").unwrap();
        assert_eq!(std::fs::read(site.join("s/2.json.gz")).unwrap(), b"CCCC");
    }

    #[test]
    fn a_file_held_by_its_recorded_check_is_kept_without_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let (first, sums) = two_written(&site);
        let next = Tree::reused(site.clone(), first.listing(), sums);
        let hash = |b: &[u8]| *blake3::hash(b).as_bytes();
        // Held: the recorded check and size; not held: other bytes, another size, a path that
        // is not there.
        assert!(next.holds_bytes("s/1.json.gz", 4, &hash(b"AAAA")));
        assert!(!next.holds_bytes("s/1.json.gz", 4, &hash(b"BBBB")));
        assert!(!next.holds_bytes("s/1.json.gz", 5, &hash(b"AAAA")));
        assert!(!next.holds_bytes("s/3.json.gz", 4, &hash(b"AAAA")));
        next.keep_held(&site.join("s/1.json.gz")).unwrap();
        assert!(next.keep_held(&site.join("s/3.json.gz")).is_err());
        // Kept as written, with its check for the build after; `2` not kept, so it goes.
        assert_eq!(next.finish().unwrap(), 1);
        assert_eq!(std::fs::read(site.join("s/1.json.gz")).unwrap(), b"AAAA");
        assert!(!site.join("s/2.json.gz").exists());
        let listed: Vec<String> = next.listing().into_iter().map(|(p, ..)| p).collect();
        assert!(listed.contains(&"s/1.json.gz".to_string()));
        assert_eq!(next.sums().len(), 1);
    }

    #[test]
    fn a_page_placed_with_its_check_is_held_by_that_check_alone_in_the_build_after_next() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        std::fs::create_dir_all(site.join("p")).unwrap();
        std::fs::create_dir_all(site.join("q")).unwrap();
        std::fs::write(site.join("p/index.html"), "page").unwrap();
        std::fs::write(site.join("q/index.html"), "other").unwrap();
        // The build that placed them from the cache: `p` with its check, `q` without one.
        let first = Tree::fresh(site.clone());
        first.keep_placed(&site.join("p/index.html"), sum(b"page"));
        first.keep(&site.join("q/index.html"));
        let sums = first.sums().into_iter().collect();
        let next = Tree::reused(site.clone(), first.listing(), sums);
        assert!(!next.holds_sum(&site.join("p/index.html"), &sum(b"edited")));
        assert!(!next.holds_sum(&site.join("q/index.html"), &sum(b"other")));
        assert!(next.holds_sum(&site.join("p/index.html"), &sum(b"page")));
        // Kept as it stands, still with its check; `q` was not asked for again, so it goes.
        assert_eq!(
            next.sums(),
            vec![("p/index.html".to_string(), sum(b"page"))]
        );
        assert_eq!(next.finish().unwrap(), 1);
        assert_eq!(std::fs::read(site.join("p/index.html")).unwrap(), b"page");
        assert!(!site.join("q").exists());
        // A fresh folder holds nothing.
        let fresh = Tree::fresh(site.clone());
        assert!(!fresh.holds_sum(&site.join("p/index.html"), &sum(b"page")));
    }

    #[test]
    fn a_changed_file_is_replaced_never_written_through_its_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let tree = tree_with(&site, &[("p/index.html", "cached page")]);
        // The page is also a cache entry and a page of the site being served.
        let entry = dir.path().join("entry");
        std::fs::hard_link(site.join("p/index.html"), &entry).unwrap();
        tree.write(&site.join("p/index.html"), b"edited page")
            .unwrap();
        assert_eq!(std::fs::read_to_string(&entry).unwrap(), "cached page");
        assert_eq!(
            std::fs::read_to_string(site.join("p/index.html")).unwrap(),
            "edited page"
        );
    }

    #[test]
    fn a_page_that_is_the_cache_entry_is_held_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        let tree = tree_with(&site, &[("p/index.html", "page"), ("q/index.html", "page")]);
        let entry = dir.path().join("entry");
        std::fs::hard_link(site.join("p/index.html"), &entry).unwrap();
        let page = sum(b"page");
        assert!(tree.holds(&entry, &site.join("p/index.html"), page));
        assert!(
            !tree.holds(&entry, &site.join("q/index.html"), page),
            "same bytes, another file"
        );
        // Kept with its check: the build after next holds it by that alone.
        assert_eq!(tree.sums(), vec![("p/index.html".to_string(), page)]);
        assert_eq!(tree.finish().unwrap(), 1);
        assert!(site.join("p/index.html").exists());
        assert!(!site.join("q").exists());
    }

    #[test]
    fn a_file_where_a_folder_is_wanted_and_a_folder_where_a_file_is_wanted_both_give_way() {
        let dir = tempfile::tempdir().unwrap();
        let tree = tree_with(
            dir.path(),
            &[("a/b", "was a file"), ("c/d/index.html", "x")],
        );
        tree.write(&dir.path().join("a/b/index.html"), b"now a page")
            .unwrap();
        tree.write(&dir.path().join("c/d"), b"now a file").unwrap();
        tree.finish().unwrap();
        let read = |p: &str| std::fs::read_to_string(dir.path().join(p)).unwrap();
        assert_eq!(read("a/b/index.html"), "now a page");
        assert_eq!(read("c/d"), "now a file");
    }

    #[test]
    fn a_fresh_folder_holds_nothing_and_deletes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let tree = Tree::fresh(dir.path().to_path_buf());
        std::fs::write(dir.path().join("x"), "x").unwrap();
        assert!(!tree.holds(&dir.path().join("x"), &dir.path().join("x"), sum(b"x")));
        tree.write(&dir.path().join("d/y"), b"y").unwrap();
        assert_eq!(tree.finish().unwrap(), 0);
        assert!(dir.path().join("x").exists());
    }
}
