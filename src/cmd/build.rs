//! `gazette build`.

use gazette::{BuildOptions, build};

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
    };
    match build(&opts) {
        Ok(report) => {
            if !args.quiet {
                print_human(&report.warnings, &root);
                eprintln!(
                    "已生成 {}:{} 份文件,{} 个页面,用时 {:.2} 秒(有效性按 {} 计算){}",
                    output.display(),
                    report.documents,
                    report.pages,
                    report.seconds,
                    opts.as_of,
                    if report.warnings.is_empty() {
                        String::new()
                    } else {
                        format!(";{}", counts(&report.warnings))
                    }
                );
            }
            EXIT_OK
        }
        Err(diags) => {
            print_human(&diags, &root);
            eprintln!("生成失败:{}。已发布的网站没有改动。", counts(&diags));
            EXIT_INVALID
        }
    }
}
