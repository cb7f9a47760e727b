//! `gazette completions <shell>`: the shell completion script, generated from the clap definition
//! so it can never fall behind the commands.

use clap::CommandFactory;

use super::EXIT_OK;
use crate::cli::{Cli, CompletionsArgs};

pub fn run(args: &CompletionsArgs) -> i32 {
    let mut cmd = Cli::command();
    clap_complete::generate(args.shell, &mut cmd, "gazette", &mut std::io::stdout());
    EXIT_OK
}
