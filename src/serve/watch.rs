//! Watching the site's sources with notify (debounced) and telling the rebuild loop what changed.
//!
//! Watched: `gazette.toml` and the folders `content/`, `schemas/`, `themes/`, `templates/`,
//! `static/` (recursively). The site root itself is watched without recursion — it may hold
//! `public/`, `target/`, `node_modules/` — which is enough to see `gazette.toml` saved by
//! rename and a watched folder created later (it is then watched too). Editors' temporary and
//! backup files (`.x.swp`, `x~`, `#x#`, `4913`, …) are not changes.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{
    DebounceEventResult, Debouncer, RecommendedCache, new_debouncer, notify,
};

/// The folders under the site root whose changes trigger a rebuild.
pub const WATCHED_DIRS: &[&str] = &["content", "schemas", "themes", "templates", "static"];
/// The files at the site root whose changes trigger a rebuild.
pub const WATCHED_FILES: &[&str] = &["gazette.toml"];
/// Saves are debounced: one rebuild for the burst of events a single save makes. An editor's
/// save (write, or write to a temporary name and rename) is over within a few milliseconds;
/// every millisecond waited here is one more before the editor sees the page. (Events that
/// come later still share a rebuild: `serve` merges the changes made while one runs.)
pub const DEBOUNCE: Duration = Duration::from_millis(15);
/// How often the debouncer looks for a quiet path (its default, a quarter of [`DEBOUNCE`],
/// would wake it 270 times a second while nothing happens).
const TICK: Duration = Duration::from_millis(5);

/// The watcher and the events it sends.
pub struct Watcher {
    root: PathBuf,
    debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    watched: BTreeSet<PathBuf>,
}

impl Watcher {
    /// Starts watching `root` (an absolute, canonical path).
    pub fn new(root: &Path) -> Result<Watcher, String> {
        let (tx, events) = channel();
        let debouncer = new_debouncer(DEBOUNCE, Some(TICK), tx).map_err(|e| e.to_string())?;
        let mut w = Watcher {
            root: root.to_path_buf(),
            debouncer,
            events,
            watched: BTreeSet::new(),
        };
        w.debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .map_err(|e| format!("无法监视 {}:{e}", root.display()))?;
        w.watch_new_dirs();
        Ok(w)
    }

    /// Adds a recursive watch for each watched folder that exists and is not watched yet.
    fn watch_new_dirs(&mut self) {
        for dir in WATCHED_DIRS {
            let path = self.root.join(dir);
            if !path.is_dir() {
                // Removed: its watch went with it; watch it again if it comes back.
                self.watched.remove(&path);
            } else if !self.watched.contains(&path)
                && self
                    .debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .is_ok()
            {
                self.watched.insert(path);
            }
        }
    }

    /// Blocks until a relevant change, then returns the changed paths (relative to the root,
    /// sorted), with whatever else is already waiting (the debouncer has gathered each burst).
    /// `Err` with the watcher's messages when notify reports problems; `Ok(None)` when the
    /// watcher stopped.
    pub fn next_change(&mut self) -> Result<Option<Vec<PathBuf>>, Vec<String>> {
        let mut changed = BTreeSet::new();
        loop {
            let batch = if changed.is_empty() {
                match self.events.recv() {
                    Ok(b) => b,
                    Err(_) => return Ok(None),
                }
            } else {
                match self.events.try_recv() {
                    Ok(b) => b,
                    Err(_) => break,
                }
            };
            let events = batch.map_err(|errs| {
                errs.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<String>>()
            })?;
            for event in events {
                if !counts(&event.kind) {
                    continue;
                }
                for path in &event.paths {
                    if let Some(rel) = relevant(&self.root, path) {
                        changed.insert(rel);
                    }
                }
            }
            self.watch_new_dirs();
        }
        Ok(Some(changed.into_iter().collect()))
    }
}

/// Whether an event kind can mean new content (reads and opens cannot).
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The path relative to `root` when its change should trigger a rebuild.
pub fn relevant(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?.as_os_str().to_str()?;
    let in_scope = if parts.next().is_none() {
        WATCHED_FILES.contains(&first) || WATCHED_DIRS.contains(&first)
    } else {
        WATCHED_DIRS.contains(&first)
    };
    let name = rel.file_name()?.to_str()?;
    (in_scope && !is_temp_file(name)).then(|| rel.to_path_buf())
}

/// Editors' temporary, swap and backup files.
pub fn is_temp_file(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name == "4913"
        || [
            ".swp",
            ".swx",
            ".swo",
            ".tmp",
            ".temp",
            ".bak",
            ".kate-swp",
            ".part",
            ".crdownload",
            "___jb_tmp___",
            "___jb_old___",
        ]
        .iter()
        .any(|s| name.ends_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_count_editor_files_and_outputs_do_not() {
        let root = Path::new("/site");
        let yes = |p: &str| relevant(root, &root.join(p)).is_some();
        assert!(yes("gazette.toml"));
        assert!(yes("content/documents/2024/a.md"));
        assert!(yes("content/documents/2024/附件.pdf"));
        assert!(yes("themes/default/templates/base.html"));
        assert!(yes("templates/document.html"));
        assert!(yes("static/logo.png"));
        assert!(yes("schemas/document.schema.json"));
        assert!(yes("content"));
        for no in [
            "public/index.html",
            ".gazette-cache/serve/site/index.html",
            "README.md",
            "content/documents/.a.md.swp",
            "content/documents/a.md~",
            "content/documents/#a.md#",
            "content/documents/4913",
            "content/documents/.#a.md",
            "content/documents/a.md.tmp",
            "gazette.toml~",
        ] {
            assert!(!yes(no), "{no}");
        }
        assert!(relevant(root, Path::new("/elsewhere/content/a.md")).is_none());
    }

    #[test]
    fn reads_are_not_changes() {
        assert!(!counts(&EventKind::Access(AccessKind::Open(
            notify::event::AccessMode::Any
        ))));
        assert!(counts(&EventKind::Access(AccessKind::Close(
            AccessMode::Write
        ))));
        assert!(counts(&EventKind::Modify(notify::event::ModifyKind::Any)));
        assert!(counts(&EventKind::Remove(notify::event::RemoveKind::File)));
    }
}
