//! `gazette serve`: build, serve over HTTP, watch the sources, rebuild, reload the browser.
//!
//! The loop is deliberately plain:
//!
//! 1. [`rebuild`] — one call to the library's whole pipeline ([`crate::build`]) into a fresh
//!    folder under `<root>/.gazette-cache/serve/` (never the real `public/`; see [`builds`]).
//!    A good build becomes the folder the server serves; a failed one leaves the last good
//!    folder served, under the error overlay. Making rebuilds incremental is the library's
//!    business (a cache keyed by content hashes inside `build`): this call stays as it is.
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
pub mod quick;
pub mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use jiff::civil::Date;

use crate::diag::Diagnostic;
use crate::{BuildOptions, BuildReport};
use builds::Builds;
use quick::{Preview, Quick};
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

/// Runs until the process is stopped. `Err` only for what stops it from starting (a port in
/// use, a missing root, no file watching).
pub fn run(opts: &ServeOptions, report: &mut dyn FnMut(Event<'_>)) -> Result<(), String> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|e| format!("找不到站点文件夹 {}:{e}", opts.root.display()))?;
    let listener = TcpListener::bind((opts.bind, opts.port)).map_err(|e| {
        format!(
            "无法在 {}:{} 上监听:{e}(端口可能已被占用:用 --port 换一个端口,或 --port 0 任选一个)",
            opts.bind, opts.port
        )
    })?;
    let addr = listener
        .local_addr()
        .map_err(|e| format!("无法读取监听地址:{e}"))?;
    let build = build_options(&root, addr, opts.as_of);
    // Watch before the first build, so a save during it is not missed.
    let mut watcher = watch::Watcher::new(&root)?;
    let state = Arc::new(State::new());
    let (mut builds, previous) = Builds::new(&root);
    if let Some(site) = previous {
        state.start_with(site);
    }
    rebuild(&build, &mut builds, &state, false, report);
    let server = http::Server::new(Arc::clone(&state), Default::default());
    http::spawn(listener, Arc::new(server)).map_err(|e| format!("无法启动服务线程:{e}"))?;
    report(Event::Listening(addr));
    let base_url = build.base_url.clone().unwrap_or_default();
    let mut preview = Preview::load(&root, opts.as_of, &base_url);
    loop {
        let changed = match watcher.next_change() {
            Ok(Some(changed)) if changed.is_empty() => continue,
            Ok(Some(changed)) => {
                report(Event::Changed(&changed));
                changed
            }
            Ok(None) => return Err("文件监视已停止".into()),
            Err(errors) => {
                report(Event::WatchError(&errors));
                Vec::new()
            }
        };
        let started = Instant::now();
        let quick = match &mut preview {
            Some(p) if Preview::handles(&changed) => Some(p.update(&changed, &builds.next_quick())),
            _ => None,
        };
        let shown = match quick {
            Some(Quick::Rendered { folder, pages }) => {
                if let Some(old) = state.publish_quick(folder) {
                    builds.discard(old);
                }
                report(Event::Quick {
                    pages,
                    seconds: started.elapsed().as_secs_f64(),
                });
                true
            }
            // Errors: the full rebuild below reports them (the same ones) and shows them.
            Some(Quick::Failed(_)) | None => false,
        };
        rebuild(&build, &mut builds, &state, shown, report);
        if !Preview::handles(&changed) {
            // Configuration, theme, issues … changed: read everything again.
            preview = Preview::load(&root, opts.as_of, &base_url);
        }
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

/// One rebuild: the whole pipeline into a new folder, then the new state for the server and
/// the pages waiting on it. The only place `serve` calls the build, so an incremental library
/// build speeds it up with no change here.
pub fn rebuild(
    opts: &BuildOptions,
    builds: &mut Builds,
    state: &State,
    shown: bool,
    report: &mut dyn FnMut(Event<'_>),
) {
    let started = Instant::now();
    let opts = BuildOptions {
        output: builds.next_output(),
        ..opts.clone()
    };
    match crate::build(&opts) {
        Ok(mut built) => {
            built.seconds = started.elapsed().as_secs_f64();
            for old in state.publish_site(opts.output, shown) {
                builds.discard(old);
            }
            report(Event::Built(&built));
        }
        Err(diags) => {
            builds.discard(opts.output);
            state.publish_errors(overlay::html(&diags, &opts.root));
            report(Event::Failed(&diags));
        }
    }
}
