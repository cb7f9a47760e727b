//! A deterministic corpus generator for benchmarks (issue 7): writes a complete gazette site of N
//! realistic documents and, with `--hugo DIR`, the same documents as a Hugo site.
//!
//! ```text
//! cargo run --release --example gen_corpus -- --n 10000 --out /tmp/c10k [--seed 1] [--hugo /tmp/c10k-hugo] [--force]
//! ```
//!
//! Only std: a SplitMix64 stream per purpose, so the output is byte-identical for a seed. The
//! plan (all metadata) is made first, then bodies are generated and written in parallel, each
//! from its own stream.

#[path = "gen_corpus/body.rs"]
mod body;
#[path = "gen_corpus/date.rs"]
mod date;
#[path = "gen_corpus/hugo.rs"]
mod hugo;
#[path = "gen_corpus/plan.rs"]
mod plan;
#[path = "gen_corpus/registry.rs"]
mod registry;
#[path = "gen_corpus/rng.rs"]
mod rng;
#[path = "gen_corpus/site.rs"]
mod site;
#[path = "gen_corpus/titles.rs"]
mod titles;
#[path = "gen_corpus/vocab.rs"]
mod vocab;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen_corpus --n N --out DIR [--seed S] [--hugo DIR] [--force]

  --n N       number of documents (all kinds, withheld ones included)
  --out DIR   the gazette site to write (gazette.toml, content/)
  --seed S    seed of the random streams (default 1); same seed, same bytes
  --hugo DIR  also write the same documents as a Hugo site
  --force     replace DIR / the Hugo DIR if they already hold a generated corpus";

struct Args {
    n: usize,
    out: PathBuf,
    seed: u64,
    hugo: Option<PathBuf>,
    force: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut n = None;
    let mut out = None;
    let mut seed = 1;
    let mut hugo = None;
    let mut force = false;
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--n" => n = Some(value()?.parse().map_err(|e| format!("--n: {e}"))?),
            "--out" => out = Some(PathBuf::from(value()?)),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--hugo" => hugo = Some(PathBuf::from(value()?)),
            "--force" => force = true,
            "-h" | "--help" => return Err(String::new()),
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(Args {
        n: n.ok_or("--n is required")?,
        out: out.ok_or("--out is required")?,
        seed,
        hugo,
        force,
    })
}

/// Makes `dir` an empty directory. An existing non-empty one is replaced only with `--force`, and
/// only if it looks like a corpus this tool wrote (it holds `marker`).
fn fresh_dir(dir: &Path, marker: &str, force: bool) -> Result<(), String> {
    let busy = fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some());
    if busy {
        if !force {
            return Err(format!("{} is not empty (use --force)", dir.display()));
        }
        if !dir.join(marker).exists() {
            return Err(format!(
                "{} has no {marker}: not a generated corpus, refusing to delete it",
                dir.display()
            ));
        }
        fs::remove_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, text).map_err(|e: io::Error| format!("{}: {e}", path.display()))
}

fn run(args: &Args) -> Result<(), String> {
    let started = Instant::now();
    let docs = plan::plan(args.n, args.seed);
    fresh_dir(&args.out, "gazette.toml", args.force)?;
    if let Some(h) = &args.hugo {
        fresh_dir(h, "hugo.toml", args.force)?;
    }
    let out = &args.out;
    write(
        &out.join("gazette.toml"),
        &site::gazette_toml(args.seed, args.n),
    )?;
    write(&out.join("content/pages/about.md"), site::ABOUT_PAGE)?;
    let issues = site::issues(&docs);
    let mut issue_files = 0;
    for (issue, members) in &issues {
        let file = site::issue_file(*issue, members, &docs, args.seed);
        if let Some(text) = &file {
            let path = out.join(format!("content/gazette/{}.md", issue.key()));
            write(&path, text)?;
            issue_files += 1;
        }
        if let Some(h) = &args.hugo {
            let path = h.join(format!("content/gazette/{}/_index.md", issue.key()));
            write(&path, &hugo::issue_page(*issue, file.as_deref()))?;
        }
    }
    if let Some(h) = &args.hugo {
        write(&h.join("hugo.toml"), &hugo::config())?;
        for (path, text) in hugo::LAYOUTS {
            write(&h.join("layouts").join(path), text)?;
        }
        write(&h.join("content/search.md"), hugo::SEARCH_PAGE)?;
        write(
            &h.join("content/documents/_index.md"),
            hugo::DOCUMENTS_INDEX,
        )?;
        write(&h.join("content/pages/about.md"), site::ABOUT_PAGE)?;
    }
    let bytes = write_documents(&docs, args)?;
    let mut per_kind = [0usize; 7];
    for d in &docs {
        per_kind[d.kind] += 1;
    }
    let kinds: Vec<String> = registry::KINDS
        .iter()
        .zip(per_kind)
        .map(|(k, c)| format!("{} {c}", k.slug))
        .collect();
    let hidden = docs.iter().filter(|d| !d.is_public()).count();
    eprintln!(
        "gen_corpus: {} documents ({}; {hidden} not public), {} issues ({issue_files} files), {:.1} MB of bodies, seed {}, {:.1}s",
        docs.len(),
        kinds.join(", "),
        issues.len(),
        bytes as f64 / 1e6,
        args.seed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Bodies are generated and written on all cores; each document's bytes depend only on the
/// plan and the seed, never on the thread that wrote it.
fn write_documents(docs: &[plan::Doc], args: &Args) -> Result<usize, String> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|t| {
                s.spawn(move || -> Result<usize, String> {
                    let mut bytes = 0;
                    for i in (t..docs.len()).step_by(threads) {
                        let d = &docs[i];
                        let body = body::body(docs, i, args.seed);
                        bytes += body.len();
                        let rel = format!("content/documents/{}/{}.md", d.published.year(), d.id);
                        let text = site::front_matter(docs, i) + &body;
                        write(&args.out.join(&rel), &text)?;
                        if let (Some(h), true) = (&args.hugo, d.is_public()) {
                            let text = hugo::front_matter(docs, i) + &body;
                            write(&h.join(&rel), &text)?;
                        }
                    }
                    Ok(bytes)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().expect("a writer thread panicked"))
            .sum()
    })
}

fn main() -> ExitCode {
    match parse_args() {
        Ok(args) => match run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("gen_corpus: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => {
            if !e.is_empty() {
                eprintln!("gen_corpus: {e}");
            }
            eprintln!("{USAGE}");
            ExitCode::from(2)
        }
    }
}
