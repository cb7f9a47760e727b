//! `build`: a session rendered into a staging folder and published atomically, or nothing at
//! all when nothing changed since the last build of the same output.

use std::path::PathBuf;
use std::time::Instant;

use jiff::civil::Date;

use super::{Progress, RenderOptions, Session, Settings, Snapshot, Stage, Timings};
use crate::diag::{Diagnostic, Diagnostics};
use crate::output;

/// What a build needs to know beyond the site itself.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub as_of: Date,
    /// Overrides `base_url` of `gazette.toml` (e.g. for a preview deployment).
    pub base_url: Option<String>,
    pub minify: bool,
    /// Where build products are memoised (`None`: no cache). Deleting it is always safe.
    pub cache_dir: Option<PathBuf>,
    /// With a cache: when nothing changed since the last build of this output and the output
    /// is as that build left it, leave it alone (see `output::stamp`).
    pub keep_unchanged: bool,
}

/// What a successful build did.
#[derive(Debug)]
pub struct BuildReport {
    pub documents: usize,
    pub pages: usize,
    pub seconds: f64,
    /// Warnings (a build with errors returns `Err`).
    pub warnings: Vec<Diagnostic>,
    /// Public documents whose `published` is after the as-of date: how many, and the first
    /// day one of them goes live (the daily rebuild publishes it then).
    pub waiting: Option<(usize, Date)>,
    /// How long each stage took, in pipeline order (`gazette build --timings`).
    pub timings: Timings,
}

/// The whole pipeline: load, render into a staging folder, publish atomically.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Vec<Diagnostic>> {
    build_with_progress(opts, None)
}

/// [`build`], reporting rendering progress to `progress`.
pub fn build_with_progress(
    opts: &BuildOptions,
    progress: Option<Progress<'_>>,
) -> Result<BuildReport, Vec<Diagnostic>> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let target = output::guard::check(&opts.root, &opts.output).map_err(|d| vec![d])?;
    let (inputs, prefetched) = opts
        .cache_dir
        .as_ref()
        .filter(|_| opts.keep_unchanged)
        .map(|dir| {
            let (inputs, read) = output::inputs::Inputs::of(
                &opts.root,
                dir,
                opts.as_of,
                opts.base_url.as_deref(),
                opts.minify,
            );
            ((dir, inputs), read)
        })
        .unzip();
    let mut staging =
        output::Staging::begin(&opts.output.components().collect::<PathBuf>(), target)
            .map_err(|d| vec![d])?;
    // Under the lock: nothing changed since the last build of this output → nothing to do,
    // not even reading the documents (the stamp has the warnings they gave).
    if let Some((dir, inputs)) = &inputs
        && let Some(stamp) = output::stamp::unchanged(dir, &opts.output, inputs)
        && let Some(warnings) = stamp.warnings()
    {
        drop(staging);
        inputs.keep(dir, &opts.root);
        timings.mark(Stage::Unchanged);
        return Ok(BuildReport {
            documents: stamp.documents,
            pages: stamp.pages,
            seconds: started.elapsed().as_secs_f64(),
            warnings,
            waiting: stamp
                .waiting
                .as_ref()
                .and_then(|(n, d)| Some((*n, crate::contract::parse_date(d)?))),
            timings,
        });
    }
    let settings = Settings {
        as_of: opts.as_of,
        base_url: opts.base_url.clone(),
        cache_dir: opts.cache_dir.clone(),
    };
    // With a cache, the site published before the last build is written over (only what
    // differs; see `output::tree`) instead of a whole site into an empty folder. Checking it
    // against its stamp lists 40 000 files at 10 000 documents: done while the documents
    // are read, which needs nothing from it.
    let (session, previous) = rayon::join(
        || Session::load_prefetched(&opts.root, settings, prefetched.as_ref()),
        || {
            let (dir, _) = inputs.as_ref()?;
            output::stamp::previous_files(dir, &opts.output, staging.previous())
        },
    );
    let snapshot = session.into_snapshot()?;
    let tree = match &inputs {
        Some(_) => staging.tree_from_previous(|_| previous),
        None => staging.fresh_tree(),
    };
    timings.mark(Stage::ReadAndCheck);
    // The published pages share their files with the page cache, and unchanged ones with the
    // site kept before them. A page written over in place there is not trusted for that: a
    // page placed from the cache is checked against the sum in its entry's name first, and
    // one kept as it stands in the site before last is kept only when that site is exactly as
    // its stamp lists it (sizes and modification times; tests/suite/hostile/cache.rs).
    let render = RenderOptions {
        minify: opts.minify,
        cache_dir: opts.cache_dir.clone(),
    };
    let mut report = snapshot
        .render_reported(&tree, &render, progress, timings, started)
        .map_err(|d| output::disk_full_once(d.into_sorted(), staging.dir(), &opts.output))?;
    // The stamp is made from what the tree wrote and kept, while the tree deletes what it did
    // not. Should the deleting fail, the build fails with a stamp that matches no folder: the
    // next build finds the output and the site before last unlike their stamps, and starts
    // afresh (the stamps are only ever trusted after the folder is listed against them).
    let (finished, ()) = rayon::join(
        || tree.finish(),
        || {
            if let Some((dir, inputs)) = &inputs {
                inputs.keep(dir, &opts.root);
                output::stamp::record(
                    dir,
                    &opts.output,
                    &tree,
                    inputs,
                    output::stamp::Made {
                        documents: report.documents,
                        pages: report.pages,
                        warnings: &report.warnings,
                        waiting: report.waiting.map(|(n, d)| (n, d.to_string())),
                    },
                );
            }
        },
    );
    finished.map_err(|d| vec![d])?;
    staging.publish().map_err(|d| vec![d])?;
    report.timings.mark(Stage::Publish);
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

impl Snapshot {
    /// [`Snapshot::render`] into `out`, with what it made: the report of a build that is not
    /// published yet (`build` publishes its staging folder after; `serve` serves the folder).
    /// `timings` and `started` are the build's, from before the session was loaded.
    pub(crate) fn render_reported(
        self,
        out: &output::Tree,
        options: &RenderOptions,
        progress: Option<Progress<'_>>,
        mut timings: Timings,
        started: Instant,
    ) -> Result<BuildReport, Diagnostics> {
        let documents = self.site().document_count();
        let warnings = self.warnings().to_vec();
        let waiting = self.site().waiting;
        let pages = self.render(out, options, progress, &mut timings)?;
        Ok(BuildReport {
            documents,
            pages,
            seconds: started.elapsed().as_secs_f64(),
            warnings,
            waiting,
            timings,
        })
    }
}
