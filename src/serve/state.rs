//! What the server knows about the site between rebuilds: which folder holds the last good
//! build, the site's version and, after a failed rebuild, the error overlay. The rebuild loop
//! writes it; connection threads read it once per request and wait on it (live reload).

use std::path::PathBuf;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The site's current version and overlay.
pub struct State {
    status: Mutex<Status>,
    changed: Condvar,
    /// Distinguishes this server from a previous one on the same port, so pages open across a
    /// restart reload too.
    epoch: u64,
}

struct Status {
    generation: u64,
    site: Option<Arc<PathBuf>>,
    overlay: Option<Arc<str>>,
    quick: Option<Arc<PathBuf>>,
    /// Quick previews published so far (a rebuild notes it when it starts).
    quicks: u64,
}

/// What one request sees: all three read together, so a page and its overlay and version
/// always belong to the same moment.
#[derive(Debug, Clone)]
pub struct Snapshot {
    pub version: String,
    /// The folder to serve; `None` until a first build succeeded.
    pub site: Option<Arc<PathBuf>>,
    pub overlay: Option<Arc<str>>,
    /// Pages of the quick preview (`quick.rs`), served before `site`'s until the next full build.
    pub quick: Option<Arc<PathBuf>>,
}

impl Default for State {
    fn default() -> Self {
        Self::new()
    }
}

impl State {
    pub fn new() -> Self {
        State {
            status: Mutex::new(Status {
                generation: 0,
                site: None,
                overlay: None,
                quick: None,
                quicks: 0,
            }),
            changed: Condvar::new(),
            epoch: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_millis() as u64),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Status> {
        // A panicking reader cannot leave `Status` half-written: keep serving.
        self.status.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn version_of(&self, s: &Status) -> String {
        format!("{:x}-{}", self.epoch, s.generation)
    }

    /// The current folder, version and overlay.
    pub fn current(&self) -> Snapshot {
        let s = self.lock();
        Snapshot {
            version: self.version_of(&s),
            site: s.site.clone(),
            overlay: s.overlay.clone(),
            quick: s.quick.clone(),
        }
    }

    /// How many quick previews have been published: a rebuild notes it when it starts.
    pub fn quick_count(&self) -> u64 {
        self.lock().quicks
    }

    /// A good build in `site`: serve it, without overlay, and without the quick pages unless
    /// one was published after the build began (`quick_count` was `quicks_before` then): that
    /// one is newer than the build and stays until the next. Returns the folders it replaces.
    /// Wakes every waiting page unless `quietly` (the quick preview already showed the saved
    /// page; reloading it again seconds later would only lose the reader's place).
    pub fn publish_site(&self, site: PathBuf, quietly: bool, quicks_before: u64) -> Vec<PathBuf> {
        let mut s = self.lock();
        if !quietly || s.overlay.is_some() {
            s.generation += 1;
        }
        s.overlay = None;
        let old = s.site.replace(Arc::new(site));
        let quick = if s.quicks == quicks_before {
            s.quick.take()
        } else {
            None
        };
        drop(s);
        self.changed.notify_all();
        [old, quick]
            .into_iter()
            .flatten()
            .map(|p| (*p).clone())
            .collect()
    }

    /// The quick preview's pages in `folder`: served first, over the last good site, until the
    /// next full build. Clears the overlay (the site is valid again). Returns the quick folder
    /// it replaces. Wakes every waiting page.
    pub fn publish_quick(&self, folder: PathBuf) -> Option<PathBuf> {
        let mut s = self.lock();
        s.generation += 1;
        s.quicks += 1;
        s.overlay = None;
        let old = s.quick.replace(Arc::new(folder));
        drop(s);
        self.changed.notify_all();
        old.map(|p| (*p).clone())
    }

    /// A failed build: keep serving the last good folder, under `overlay`. Wakes every page.
    pub fn publish_errors(&self, overlay: String) {
        let mut s = self.lock();
        s.generation += 1;
        s.overlay = Some(Arc::from(overlay));
        drop(s);
        self.changed.notify_all();
    }

    /// Serve `site` (a previous session's last build) until the first build succeeds, without
    /// changing the version.
    pub fn start_with(&self, site: PathBuf) {
        self.lock().site = Some(Arc::new(site));
    }

    /// Waits up to `timeout` for a version other than `seen`; returns it, or `None` on timeout.
    pub fn wait_for_change(&self, seen: &str, timeout: Duration) -> Option<String> {
        let guard = self.lock();
        let (guard, _) = self
            .changed
            .wait_timeout_while(guard, timeout, |s| self.version_of(s) == seen)
            .unwrap_or_else(|e| e.into_inner());
        let now = self.version_of(&guard);
        (now != seen).then_some(now)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_waiting_page_learns_of_the_next_build() {
        let state = Arc::new(State::new());
        let v0 = state.current().version;
        assert!(state.current().overlay.is_none() && state.current().site.is_none());
        assert_eq!(state.wait_for_change(&v0, Duration::from_millis(10)), None);
        let s = state.clone();
        let t = std::thread::spawn(move || s.wait_for_change(&v0, Duration::from_secs(30)));
        assert!(
            state
                .publish_site(PathBuf::from("site-1"), false, 0)
                .is_empty()
        );
        let v1 = t.join().unwrap().expect("woken");
        assert_eq!(state.current().version, v1);

        state.publish_errors("<p>bad</p>".into());
        let now = state.current();
        assert_eq!(now.overlay.as_deref(), Some("<p>bad</p>"));
        assert_eq!(
            now.site.as_deref(),
            Some(&PathBuf::from("site-1")),
            "last good kept"
        );
        assert_ne!(now.version, v1);
        assert_eq!(
            state.wait_for_change("old", Duration::ZERO),
            Some(now.version)
        );
        assert_eq!(
            state.publish_site(PathBuf::from("site-2"), false, 0),
            vec![PathBuf::from("site-1")]
        );
        assert!(state.current().overlay.is_none());

        let v2 = state.current().version;
        assert_eq!(state.publish_quick(PathBuf::from("quick-1")), None);
        let now = state.current();
        assert_ne!(now.version, v2, "a quick preview reloads the page");
        assert_eq!(now.quick.as_deref(), Some(&PathBuf::from("quick-1")));
        assert_eq!(
            state.publish_site(PathBuf::from("site-3"), true, state.quick_count()),
            vec![PathBuf::from("site-2"), PathBuf::from("quick-1")]
        );
        let after = state.current();
        assert_eq!(
            after.version, now.version,
            "the full build after it does not"
        );
        assert!(after.quick.is_none());
    }

    #[test]
    fn a_quick_preview_newer_than_the_build_stays_over_it() {
        let state = State::new();
        state.publish_site(PathBuf::from("site-1"), false, 0);
        // A rebuild starts; a document is saved and previewed while it runs.
        let at_start = state.quick_count();
        assert_eq!(state.publish_quick(PathBuf::from("quick-1")), None);
        assert_eq!(
            state.publish_site(PathBuf::from("site-2"), false, at_start),
            vec![PathBuf::from("site-1")],
            "the quick folder is not handed back for deletion"
        );
        assert_eq!(
            state.current().quick.as_deref(),
            Some(&PathBuf::from("quick-1"))
        );
        // The rebuild that includes the save replaces it.
        let at_start = state.quick_count();
        assert_eq!(
            state.publish_site(PathBuf::from("site-3"), true, at_start),
            vec![PathBuf::from("site-2"), PathBuf::from("quick-1")]
        );
        assert!(state.current().quick.is_none());
    }
}
