//! One file per subcommand; each returns the process exit code.

pub mod build;
pub mod check;
pub mod completions;
pub mod fix;
pub mod import;
pub mod init;
pub mod new;
pub mod serve;

use std::io::IsTerminal;
use std::path::Path;

use gazette::diag::{Diagnostic, render};

/// Exit codes: 0 success, 1 invalid content or configuration (or a failed write), 2 usage.
pub const EXIT_OK: i32 = 0;
pub const EXIT_INVALID: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

/// Prints diagnostics for people on stderr, coloured only on a terminal.
pub fn print_human(ds: &[Diagnostic], root: &Path) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", render::human_all(ds, root, color));
}

/// "2 个错误,1 个警告"
pub fn counts(ds: &[Diagnostic]) -> String {
    let errors = ds.iter().filter(|d| d.is_error()).count();
    let warnings = ds.len() - errors;
    match (errors, warnings) {
        (0, w) => format!("{w} 个警告"),
        (e, 0) => format!("{e} 个错误"),
        (e, w) => format!("{e} 个错误，{w} 个警告"),
    }
}
