//! `gazette serve`: the editor's preview. The loop is the library's [`gazette::serve`]; this
//! file only says what happens in the terminal.

use std::io::IsTerminal;

use gazette::serve::{self, Event, ServeOptions};

use super::{EXIT_INVALID, counts, print_human};
use crate::cli::{ServeArgs, today};

pub fn run(args: &ServeArgs) -> i32 {
    let root = args.root.root.clone();
    let opts = ServeOptions {
        root: root.clone(),
        bind: args.bind,
        port: args.port,
        as_of: args.as_of.unwrap_or_else(today),
    };
    let bold = |s: &str| {
        if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    };
    let mut report = |event: Event<'_>| match event {
        Event::Listening(addr) => {
            // The URL alone on stdout, for scripts; the rest on stderr.
            println!("http://{addr}/");
            eprintln!(
                "{}（有效性按 {} 计算）。保存文件后自动重新生成并刷新页面；按 Ctrl+C 停止。",
                bold(&format!("预览网站：http://{addr}/")),
                opts.as_of
            );
            if !addr.ip().is_loopback() {
                eprintln!(
                    "warning: 正在监听 {}，同一网络中的其他计算机也能访问这个预览",
                    addr.ip()
                );
            }
        }
        Event::Changed(paths) => {
            let shown: Vec<String> = paths
                .iter()
                .take(3)
                .map(|p| p.display().to_string())
                .collect();
            let more = if paths.len() > 3 {
                format!(" 等 {} 个文件", paths.len())
            } else {
                String::new()
            };
            eprintln!("检测到修改：{}{more}，重新生成……", shown.join("、"));
        }
        Event::Built(r) => {
            let warnings = if r.warnings.is_empty() {
                String::new()
            } else {
                format!(";{}（gazette check 可查看）", counts(&r.warnings))
            };
            eprintln!(
                "已生成：{} 份文件，{} 个页面，用时 {:.0} 毫秒{warnings}",
                r.documents,
                r.pages,
                r.seconds * 1000.0
            );
        }
        Event::Quick { pages, seconds } => {
            eprintln!(
                "已更新修改的 {pages} 个文件页面，用时 {:.0} 毫秒；正在重新生成列表和检索……",
                seconds * 1000.0
            );
        }
        Event::Failed(diags) => {
            print_human(diags, &root);
            eprintln!(
                "{}浏览器中仍是上一次成功生成的网站，页面上方显示这些错误；改正并保存后自动恢复。",
                bold(&format!("生成失败：{}。", counts(diags)))
            );
        }
        Event::WatchError(errors) => {
            for e in errors {
                eprintln!("warning: 文件监视出错：{e}");
            }
        }
    };
    match serve::run(&opts, &mut report) {
        Ok(()) => super::EXIT_OK,
        Err(msg) => {
            eprintln!("error: {msg}");
            EXIT_INVALID
        }
    }
}
