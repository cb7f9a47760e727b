//! The stages of a build, as `gazette build --timings` names them.

use std::time::Instant;

/// One step of the pipeline whose wall time is measured. An enum, not the label: the label is
/// what an editor reads and may be reworded; tests and benches compare stages, not text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Nothing changed since the last build of this output: only that was checked.
    Unchanged,
    /// Configuration, theme and every content file read and checked (`check` stops here).
    ReadAndCheck,
    /// Every document's page.
    DocumentPages,
    /// The same, when the theme's templates could not be minified ahead and every page is
    /// minified on its own (slower: the label says so where speed is read).
    DocumentPagesMinifiedEach,
    /// The list pages and, beside them, the search index.
    ListsAndSearch,
    /// Open data, feeds, the theme's static files and the search files written.
    DataFeedsAndSearchFiles,
    /// `sitemap.xml` and `robots.txt`.
    SiteMap,
    /// The staging folder swapped in for the output.
    Publish,
}

impl Stage {
    /// How `--timings` names the stage.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Unchanged => "核对未改变",
            Stage::ReadAndCheck => "读取和检查",
            Stage::DocumentPages => "文件页面",
            Stage::DocumentPagesMinifiedEach => "文件页面（模板无法预先压缩，逐页压缩）",
            Stage::ListsAndSearch => "列表页面和检索索引",
            Stage::DataFeedsAndSearchFiles => "数据、订阅和检索索引文件",
            Stage::SiteMap => "网站地图",
            Stage::Publish => "发布",
        }
    }
}

/// Wall time per pipeline stage: where a slow build spends its time, without a profiler.
#[derive(Debug, Clone)]
pub struct Timings {
    stages: Vec<(Stage, f64)>,
    last: Instant,
}

impl Timings {
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Closes the stage that ran since the previous mark (or the start).
    pub fn mark(&mut self, stage: Stage) {
        let now = Instant::now();
        self.stages.push((stage, (now - self.last).as_secs_f64()));
        self.last = now;
    }

    /// `(stage, seconds)` in the order the stages ran.
    pub fn stages(&self) -> &[(Stage, f64)] {
        &self.stages
    }
}
