//! `gazette check`: every validation of `build`, writing nothing.

use gazette::diag::render;

use super::{EXIT_INVALID, EXIT_OK, counts, print_human};
use crate::cli::{CheckArgs, Format, today};

pub fn run(args: &CheckArgs) -> i32 {
    let root = &args.root.root;
    let settings = gazette::Settings {
        as_of: args.as_of.unwrap_or_else(today),
        base_url: None,
        cache_dir: None,
    };
    let diags = gazette::Session::load(root, settings).diagnostics().clone();
    let failed = diags.has_errors();
    let ds = diags.into_sorted();
    match args.format {
        Format::Json => println!("{}", render::json(&ds)),
        Format::Human => {
            print_human(&ds, root);
            if ds.is_empty() {
                eprintln!("检查通过：没有发现问题。");
            } else {
                eprintln!("检查完成：{}。", counts(&ds));
            }
        }
    }
    if failed { EXIT_INVALID } else { EXIT_OK }
}
