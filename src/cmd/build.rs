//! `gazette build`: the whole pipeline. On a terminal it shows a progress bar (a spinner while
//! the content is read and checked, then a bar over the pages); anywhere it ends with a one-line
//! summary (documents, pages, seconds). `--quiet` leaves only errors.

use std::io::IsTerminal;
use std::sync::Once;
use std::time::Duration;

use gazette::{BuildOptions, build_with_progress};
use indicatif::{ProgressBar, ProgressStyle};

use super::{EXIT_INVALID, EXIT_OK, counts, print_human};
use crate::cli::{BuildArgs, today};

pub fn run(args: &BuildArgs) -> i32 {
    let root = args.root.root.clone();
    let output = args.output.clone().unwrap_or_else(|| root.join("public"));
    let opts = BuildOptions {
        root: root.clone(),
        output: output.clone(),
        as_of: args.as_of.unwrap_or_else(today),
        base_url: args.base_url.clone(),
        minify: !args.no_minify,
        cache_dir: (!args.no_cache).then(|| root.join(gazette::cache::DEFAULT_DIR)),
        keep_unchanged: true,
    };
    let bar = (!args.quiet && std::io::stderr().is_terminal()).then(spinner);
    let styled = Once::new();
    let progress = |done: usize, total: usize| {
        if let Some(bar) = &bar {
            styled.call_once(|| {
                bar.set_style(
                    ProgressStyle::with_template("生成页面 {bar:32} {pos}/{len} {elapsed}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                bar.set_length(total as u64);
            });
            bar.set_position(done as u64);
        }
    };
    let result = build_with_progress(&opts, bar.as_ref().map(|_| &progress as _));
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    match result {
        Ok(report) => {
            if !args.quiet {
                print_human(&report.warnings, &root);
                if let Some((n, first)) = report.waiting {
                    eprintln!(
                        "另有 {n} 份文件尚未到发布日期，暂不发布；最早一份将于{}发布（届时重新生成即可）",
                        gazette::contract::chinese_date(first)
                    );
                }
                eprintln!(
                    "已生成 {}：{} 份文件，{} 个页面，用时 {:.2} 秒（有效性按 {} 计算）{}",
                    output.display(),
                    report.documents,
                    report.pages,
                    report.seconds,
                    opts.as_of,
                    if report.warnings.is_empty() {
                        String::new()
                    } else {
                        format!("；{}", counts(&report.warnings))
                    }
                );
            }
            if args.timings {
                for (stage, seconds) in report.timings.stages() {
                    eprintln!("  {seconds:>8.3} 秒  {}", stage.label());
                }
            }
            EXIT_OK
        }
        Err(diags) => {
            print_human(&diags, &root);
            eprintln!("生成失败：{}。已发布的网站没有改动。", counts(&diags));
            EXIT_INVALID
        }
    }
}

/// Shown while the content is read and checked, before the page count is known.
fn spinner() -> ProgressBar {
    let bar = ProgressBar::new_spinner();
    bar.set_message("读取和检查内容");
    bar.enable_steady_tick(Duration::from_millis(120));
    bar
}
