//! The folders `serve` builds into: a fresh `site-<n>` under `.gazette-cache/serve/` for each
//! build, and a background thread that deletes the ones no longer served.
//!
//! Building into a new folder each time, instead of over the served one, keeps the delete of
//! the previous site out of the save-to-reload path: `gazette build` swapping into an existing
//! output must remove the old tree before it returns, and on a slow disk that removal took
//! longer than the whole build of the sample site (12 000 pages: most of a minute). Here the
//! server switches to the new folder as soon as the build returns, and the old one is removed
//! afterwards, a few seconds later, so requests already reading it finish first.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Sender, channel};
use std::time::{Duration, Instant};

/// Under the site root: everything `serve` writes.
pub const SERVE_DIR: &str = ".gazette-cache/serve";

/// How long a replaced folder is kept for requests still reading it.
const GRACE: Duration = Duration::from_secs(3);

/// Hands out build folders and removes the old ones.
pub struct Builds {
    dir: PathBuf,
    next: u64,
    trash: Sender<(Instant, PathBuf)>,
}

impl Builds {
    /// Folders under `<root>/.gazette-cache/serve/`. Returns the newest complete build a
    /// previous session left (served until this session's first build succeeds); every other
    /// leftover is removed in the background.
    pub fn new(root: &Path) -> (Builds, Option<PathBuf>) {
        let dir = root.join(SERVE_DIR);
        let (trash, bin) = channel::<(Instant, PathBuf)>();
        let _ = std::thread::Builder::new()
            .name("gazette-cleanup".into())
            .spawn(move || {
                for (due, path) in bin {
                    std::thread::sleep(due.saturating_duration_since(Instant::now()));
                    remove(&path);
                }
            });
        let mut leftovers: Vec<(u64, PathBuf)> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| (number(&e.file_name().to_string_lossy()), e.path()))
            .collect();
        leftovers.sort();
        let next = leftovers.iter().map(|(n, _)| n + 1).max().unwrap_or(1);
        let newest = leftovers
            .iter()
            // The site map is the last file a build writes.
            .rposition(|(n, p)| *n > 0 && p.join("sitemap.xml").is_file());
        let keep = newest.map(|i| leftovers.remove(i).1);
        for (_, path) in leftovers {
            let _ = trash.send((Instant::now(), path));
        }
        (Builds { dir, next, trash }, keep)
    }

    /// A folder that does not exist yet, for the next build.
    pub fn next_output(&mut self) -> PathBuf {
        let path = self.dir.join(format!("site-{}", self.next));
        self.next += 1;
        path
    }

    /// A folder that does not exist yet, for a quick preview's pages.
    pub fn next_quick(&mut self) -> PathBuf {
        let path = self.dir.join(format!("quick-{}", self.next));
        self.next += 1;
        path
    }

    /// Removes a build folder (and the lock file `gazette build` kept beside it) later.
    pub fn discard(&self, output: PathBuf) {
        let due = Instant::now() + GRACE;
        if let Some(lock) = lock_file(&output) {
            let _ = self.trash.send((due, lock));
        }
        let _ = self.trash.send((due, output));
    }
}

/// `n` of `site-<n>`, `.site-<n>.lock` or `.site-<n>.staging-<pid>`; 0 for anything else.
fn number(name: &str) -> u64 {
    let rest = name.trim_start_matches('.');
    rest.strip_prefix("site-")
        .map(|r| r.split('.').next().unwrap_or(""))
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

fn lock_file(output: &Path) -> Option<PathBuf> {
    let name = output.file_name()?.to_string_lossy().into_owned();
    Some(output.with_file_name(format!(".{name}.lock")))
}

fn remove(path: &Path) {
    if path.is_dir() {
        let _ = std::fs::remove_dir_all(path);
    } else {
        let _ = std::fs::remove_file(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_numbers() {
        assert_eq!(number("site-12"), 12);
        assert_eq!(number(".site-12.lock"), 12);
        assert_eq!(number(".site-3.staging-4711"), 3);
        assert_eq!(number("other"), 0);
        assert_eq!(
            lock_file(Path::new("/r/site-2")),
            Some(PathBuf::from("/r/.site-2.lock"))
        );
    }

    #[test]
    fn the_newest_complete_leftover_is_kept_and_numbering_goes_on() {
        let root = tempfile::tempdir().unwrap();
        let dir = root.path().join(SERVE_DIR);
        for n in [1, 2, 3] {
            std::fs::create_dir_all(dir.join(format!("site-{n}"))).unwrap();
        }
        std::fs::write(dir.join("site-1/sitemap.xml"), "").unwrap();
        std::fs::write(dir.join("site-2/sitemap.xml"), "").unwrap();
        // site-3 is incomplete: a build killed before its last file, the site map.
        std::fs::write(dir.join("site-3/index.html"), "").unwrap();
        let (mut builds, keep) = Builds::new(root.path());
        assert_eq!(keep, Some(dir.join("site-2")));
        assert_eq!(builds.next_output(), dir.join("site-4"));
        assert_eq!(builds.next_output(), dir.join("site-5"));
    }
}
