//! `gazette serve`: build, serve over HTTP, watch the sources, rebuild, reload the browser.
//!
//! The loop is deliberately plain:
//!
//! 1. [`crate::Session`] — loaded once; every save is taken in with `Session::update`, which
//!    reads again only the documents that changed. When only documents changed and the site
//!    has no errors, their own pages are rendered at once into a small folder the server
//!    prefers ([`preview`]); then [`rebuild`] renders the session's whole site into a fresh
//!    folder under `<root>/.gazette-cache/serve/` (never the real `public/`; see [`builds`]),
//!    on a thread of its own, with the same content-hash cache as `build`. A good build
//!    becomes the folder the server serves; a failed one leaves the last good folder served,
//!    under the error overlay.
//! 2. [`state::State`] — the folder being served, the site's version and the overlay; each
//!    request reads one consistent snapshot of the three.
//! 3. [`http`] — a small std::net server: files from the served folder only ([`path`]), the
//!    live-reload script and the overlay injected into HTML ([`overlay`]), server-sent events.
//! 4. [`watch`] — notify, debounced, editor temp files ignored.
//!
//! Nothing here exits on bad content: a failed build is reported and shown, and the next save
//! tries again.

pub mod builds;
pub mod http;
pub mod overlay;
pub mod path;
pub mod state;
pub mod watch;
pub mod workers;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::session::{
    BuildOptions, BuildReport, RenderOptions, Session, Settings, Stage, Timings, Update,
};
use builds::Builds;
use state::State;

pub use builds::SERVE_DIR;

/// What `gazette serve` was asked for.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: IpAddr,
    /// 0 lets the system choose a free port ([`Event::Listening`] says which).
    pub port: u16,
    pub as_of: Date,
}

/// What the loop tells the terminal.
pub enum Event<'a> {
    /// Serving at this address (after the first build, good or bad).
    Listening(SocketAddr),
    /// These sources changed; a rebuild starts.
    Changed(&'a [PathBuf]),
    /// A rebuild succeeded, in `seconds` from its start.
    Built(&'a BuildReport),
    /// The saved documents' own pages are shown (`pages` of them, `seconds` after the change
    /// was seen); the full rebuild follows.
    Quick { pages: usize, seconds: f64 },
    /// A rebuild failed; the last good site is still served, under the overlay.
    Failed(&'a [Diagnostic]),
    /// The watcher reported a problem (the loop goes on).
    WatchError(&'a [String]),
}

/// The terminal's side of [`run`]: called from the watching loop and from the rebuild thread.
pub type Report<'r> = dyn FnMut(Event<'_>) + Send + 'r;

/// Runs until the process is stopped. `Err` only for what stops it from starting (a port in
/// use, a missing root, no file watching).
///
/// Full rebuilds run on their own thread, one at a time. The watching loop never waits for
/// one: a document saved while a rebuild runs (which takes seconds on a large archive) gets
/// its quick preview at once, and the rebuild that includes it starts when the running one
/// ends — saves in between share it.
pub fn run(opts: &ServeOptions, report: &mut Report<'_>) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("找不到站点文件夹 {}:{e}", opts.root.display()))?;
    let listener = TcpListener::bind((opts.bind, opts.port)).map_err(|e| {
        format!(
            "无法在 {}:{} 上监听：{e}（端口可能已被占用：用 --port 换一个端口，或 --port 0 任选一个）",
            opts.bind, opts.port
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("无法读取监听地址：{e}"))?;
    let build = build_options(&root, addr, opts.as_of);
    // Watch before the first build, so a save during it is not missed.
    let mut watcher = watch::Watcher::new(&root)?;
    let state = Arc::new(State::new());
    let (builds, previous) = Builds::new(&root);
    let builds = Mutex::new(builds);
    if let Some(site) = previous {
        state.start_with(site);
    }
    let report = Mutex::new(report);
    let tell = |event: Event<'_>| (*report.lock().unwrap_or_else(|e| e.into_inner()))(event);
    let session = Mutex::new(Session::load(
        &root,
        Settings {
            as_of: opts.as_of,
            base_url: build.base_url.clone(),
            cache_dir: build.cache_dir.clone(),
        },
    ));
    rebuild(&build, &session, &builds, &state, false, &tell);
    let server = http::Server::new(Arc::clone(&state), Default::default());
    http::spawn(listener, Arc::new(server)).map_err(|e| format!("无法启动服务线程：{e}"))?;
    tell(Event::Listening(addr));
    // Threads of the preview's own: a rebuild keeps the shared pool busy for seconds, and work
    // queued behind it there waited until it ended.
    let preview_pool = rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("gazette-preview-{i}"))
        .build()
        .ok();
    let wanted = Wanted::default();
    std::thread::scope(|scope| {
        scope.spawn(|| {
            lower_priority();
            let pool = rebuild_pool();
            while let Some(shown) = wanted.next() {
                let run = || rebuild(&build, &session, &builds, &state, shown, &tell);
                match &pool {
                    Some(pool) => pool.install(run),
                    None => run(),
                }
            }
        });
        let stopped = loop {
            let changed = match watcher.next_change() {
                Ok(Some(changed)) if changed.is_empty() => continue,
                Ok(Some(changed)) => {
                    tell(Event::Changed(&changed));
                    changed
                }
                Ok(None) => break Err("文件监视已停止".into()),
                Err(errors) => {
                    tell(Event::WatchError(&errors));
                    Vec::new()
                }
            };
            let started = Instant::now();
            let preview = || preview(&session, &builds, &changed);
            let previewed = match &preview_pool {
                Some(pool) => pool.install(preview),
                None => preview(),
            };
            let shown = match previewed {
                Some((folder, pages)) => {
                    if let Some(old) = state.publish_quick(folder) {
                        lock(&builds).discard(old);
                    }
                    tell(Event::Quick {
                        pages,
                        seconds: started.elapsed().as_secs_f64(),
                    });
                    true
                }
                // Errors: the rebuild reports them (the same ones) and shows them.
                None => false,
            };
            wanted.request(shown);
        };
        wanted.stop();
        stopped
    })
}

/// Takes the `changed` paths into the session; when they were documents only and the site has
/// no errors, renders their pages into a new quick folder. Returns the folder and how many
/// pages it holds.
fn preview(
    session: &Mutex<Session>,
    builds: &Mutex<Builds>,
    changed: &[PathBuf],
) -> Option<(PathBuf, usize)> {
    let snapshot = {
        let mut session = lock(session);
        if changed.is_empty() || session.update(changed) != Update::Documents {
            return None;
        }
        session.snapshot().ok()?
    };
    let folder = lock(builds).next_quick();
    match snapshot.render_documents(changed, &folder) {
        Ok(pages) => Some((folder, pages)),
        Err(_) => {
            let _ = std::fs::remove_dir_all(&folder);
            None
        }
    }
}

/// Threads for the rebuilds after the first, which run at a lower priority ([`lower_priority`]).
fn rebuild_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(|i| format!("gazette-rebuild-{i}"))
        .start_handler(|_| lower_priority())
        .build()
        .ok()
}

/// How much lower a rebuild's threads run than the rest of `serve` (a `nice` value).
const REBUILD_NICE: libc::c_int = 10;

/// Lets the calling thread yield the cores to `serve`'s other threads. A save made while a
/// rebuild runs is previewed at once ([`quick`]), but on two cores the preview shared them with
/// the rebuild and took twice as long; the server's answers waited too. The rebuild ends a few
/// milliseconds later for it. Linux keeps a `nice` value per thread, and threads a thread starts
/// (the rebuild's own pools) inherit it; elsewhere this does nothing.
fn lower_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: setpriority only reads its arguments; `0` names the calling thread.
    unsafe {
        libc::setpriority(libc::PRIO_PROCESS, 0, REBUILD_NICE);
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether a rebuild is wanted, handed from the watching loop to the rebuild thread.
#[derive(Default)]
struct Wanted {
    next: Mutex<Request>,
    changed: Condvar,
}

#[derive(Default, Clone, Copy)]
struct Request {
    wanted: bool,
    /// Every change since the last rebuild began was shown by a quick preview already.
    shown: bool,
    stop: bool,
}

impl Wanted {
    /// Asks for a rebuild; requests made while one runs are merged into the next.
    fn request(&self, shown: bool) {
        let mut next = lock(&self.next);
        next.shown = shown && (next.shown || !next.wanted);
        next.wanted = true;
        drop(next);
        self.changed.notify_all();
    }

    fn stop(&self) {
        lock(&self.next).stop = true;
        self.changed.notify_all();
    }

    /// Waits for a request; `None` once stopped. Returns whether its changes were all shown.
    fn next(&self) -> Option<bool> {
        let next = lock(&self.next);
        let mut next = self
            .changed
            .wait_while(next, |r| !r.wanted && !r.stop)
            .unwrap_or_else(|e| e.into_inner());
        if next.stop {
            return None;
        }
        let shown = next.shown;
        *next = Request::default();
        Some(shown)
    }
}

/// The build `serve` runs: links relative to the server's address, not minified (faster, and
/// readable in the browser's view-source). [`rebuild`] sets the output folder.
pub fn build_options(root: &Path, addr: SocketAddr, as_of: Date) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        output: root.join(SERVE_DIR),
        as_of,
        base_url: Some(format!("http://{addr}/")),
        minify: false,
        // The same content-hash cache as `build`: a save re-renders only the pages whose
        // view changed.
        cache_dir: Some(root.join(crate::cache::DEFAULT_DIR)),
        keep_unchanged: false,
    }
}

/// One rebuild: the session's site rendered into a new folder, then the new state for the
/// server and the pages waiting on it. A quick preview published while it ran is newer than
/// what it built, and stays over it until the next rebuild.
pub fn rebuild(
    opts: &BuildOptions,
    session: &Mutex<Session>,
    builds: &Mutex<Builds>,
    state: &State,
    shown: bool,
    report: &(dyn Fn(Event<'_>) + Sync),
) {
    let started = Instant::now();
    let output = lock(builds).next_output();
    let quick_before = state.quick_count();
    let mut timings = Timings::start();
    let built = lock(session).snapshot().and_then(|snapshot| {
        timings.mark(Stage::ReadAndCheck);
        let render = RenderOptions {
            minify: opts.minify,
            cache_dir: opts.cache_dir.clone(),
        };
        snapshot
            .render_reported(
                &crate::output::Tree::fresh(output.clone()),
                &render,
                None,
                timings,
                started,
            )
            .map_err(|d| d.into_sorted())
    });
    match built {
        Ok(built) => {
            for old in state.publish_site(output, shown, quick_before) {
                lock(builds).discard(old);
            }
            report(Event::Built(&built));
        }
        Err(diags) => {
            lock(builds).discard(output);
            state.publish_errors(overlay::html(&diags, &opts.root));
            report(Event::Failed(&diags));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_made_during_a_rebuild_merge_into_the_next() {
        let wanted = Wanted::default();
        wanted.request(true);
        wanted.request(true);
        assert_eq!(
            wanted.next(),
            Some(true),
            "two shown saves: one quiet rebuild"
        );
        wanted.request(true);
        wanted.request(false);
        assert_eq!(
            wanted.next(),
            Some(false),
            "a change no preview showed makes the rebuild reload the page"
        );
        wanted.request(false);
        wanted.request(true);
        assert_eq!(wanted.next(), Some(false));
        wanted.stop();
        assert_eq!(wanted.next(), None);
    }

    #[test]
    fn the_rebuild_thread_waits_for_a_request() {
        let wanted = Arc::new(Wanted::default());
        let w = Arc::clone(&wanted);
        let thread = std::thread::spawn(move || w.next());
        std::thread::sleep(std::time::Duration::from_millis(20));
        assert!(!thread.is_finished());
        wanted.request(true);
        assert_eq!(thread.join().unwrap(), Some(true));
    }
}
