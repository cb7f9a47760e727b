//! The `gazette` binary: parse the command line, run one command, exit with its code.

mod cli;
mod cmd;

/// mimalloc instead of the system allocator: see the note in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let cli = cli::parse();
    let code = match &cli.command {
        cli::Command::Build(a) => cmd::build::run(a),
        cli::Command::Check(a) => cmd::check::run(a),
        cli::Command::New(a) => cmd::new::run(a),
        cli::Command::Init(a) => cmd::init::run(a),
        cli::Command::Serve(a) => cmd::serve::run(a),
        cli::Command::Completions(a) => cmd::completions::run(a),
        cli::Command::Import(a) => cmd::import::run(a),
        cli::Command::Fix(a) => cmd::fix::run(a),
    };
    std::process::exit(code);
}
