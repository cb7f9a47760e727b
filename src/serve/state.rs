//! What the server knows about the site between rebuilds: its version and, after a failed
//! rebuild, the error overlay. The rebuild loop writes it; connection threads read it and wait
//! on it (live reload). The pages themselves live on disk, swapped in whole by each build.

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
    overlay: Option<Arc<str>>,
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
                overlay: None,
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

    /// The current version and overlay, read together.
    pub fn current(&self) -> (String, Option<Arc<str>>) {
        let s = self.lock();
        (self.version_of(&s), s.overlay.clone())
    }

    /// A rebuild finished: `overlay` is `None` after a good one. Wakes every waiting page.
    pub fn publish(&self, overlay: Option<String>) {
        let mut s = self.lock();
        s.generation += 1;
        s.overlay = overlay.map(Arc::from);
        drop(s);
        self.changed.notify_all();
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
        let (v0, overlay) = state.current();
        assert!(overlay.is_none());
        assert_eq!(state.wait_for_change(&v0, Duration::from_millis(10)), None);
        let s = state.clone();
        let t = std::thread::spawn(move || s.wait_for_change(&v0, Duration::from_secs(30)));
        state.publish(Some("<p>bad</p>".into()));
        let v1 = t.join().unwrap().expect("woken");
        assert_eq!(state.current().0, v1);
        assert_eq!(state.current().1.as_deref(), Some("<p>bad</p>"));
        assert_eq!(state.wait_for_change("old", Duration::ZERO), Some(v1));
    }
}
