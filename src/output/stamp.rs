//! A build with nothing changed leaves the published site as it is.
//!
//! After each build with a cache, a stamp in the cache folder records the hash of everything
//! the output was made from — every file under the site's `content/`, `themes/`, `templates/`,
//! `static/`, `schemas/` and `gazette.toml`, the active theme, the `--as-of` date, the base URL,
//! minification, and the gazette binary itself — and a list of the output's files with their
//! sizes and modification times, and the warnings that build printed. The next build hashes
//! its inputs before it reads any document, then compares: same inputs, and the output folder
//! exactly as the stamp lists it, means the pages it would write are the ones already there,
//! byte for byte, and the warnings it would print are the stamp's (they too are a function of
//! the inputs and the date), so it prints those and stops. Anything else — an edited file,
//! another date, a file touched or removed in the output, a new gazette — and the build runs in
//! full. Deleting the cache folder deletes the stamps. A stamp carries a hash of itself and
//! is ignored when it does not match.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use foldhash::HashMap;

use super::inputs::Inputs;
use super::tree::Sum;
use crate::cache::Key;
use crate::diag::{Code, Diagnostic, Pos};

/// What the last build of one output made it from, and what it left there.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub(crate) struct Stamp {
    /// The key of the inputs ([`Inputs::key`]): first, so that [`unchanged`] reads only it.
    inputs: [u8; 32],
    pub documents: usize,
    pub pages: usize,
    /// `(path relative to the output, size, modification time in ns)`, sorted by path.
    files: Vec<(String, u64, u128)>,
    /// The files whose bytes the build knows a check of, sorted by path: those it wrote over
    /// a site taken up again and the pages it placed from the cache. The build after next
    /// writes over this site and leaves alone, unread, a file it would write or place with the
    /// same check (`output::tree`).
    sums: Vec<(String, Sum)>,
    warnings: Vec<Warning>,
    /// Embargoed documents: how many, and the first day one is published (legal-model.md §6).
    pub waiting: Option<(usize, String)>,
}

/// A [`Stamp`] as it is written: the same fields in the same order (postcard encodes them
/// alike), borrowed from the build rather than copied into it.
#[derive(Serialize)]
struct Recorded<'a> {
    inputs: &'a [u8; 32],
    documents: usize,
    pages: usize,
    files: &'a [(&'a str, u64, u128)],
    sums: &'a [(&'a str, Sum)],
    warnings: Vec<Warning>,
    waiting: Option<(usize, String)>,
}

/// A warning as the stamp keeps it.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Warning {
    code: String,
    file: Option<PathBuf>,
    pos: Option<(u32, u32)>,
    message: String,
    hint: Option<String>,
}

impl Stamp {
    /// The warnings of the build that made this output, as it printed them.
    pub(crate) fn warnings(&self) -> Option<Vec<Diagnostic>> {
        self.warnings
            .iter()
            .map(|w| {
                let code = Code::ALL.iter().find(|c| c.as_str() == w.code)?;
                let mut d = Diagnostic::new(*code, w.message.clone())
                    .at(w.pos.map(|(line, column)| Pos::new(line, column)));
                d.file = w.file.clone();
                d.hint = w.hint.clone();
                Some(d)
            })
            .collect()
    }
}

pub(crate) fn mtime(m: &std::fs::Metadata) -> u128 {
    m.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

/// Where the stamp of `output` lives in `cache_dir`.
fn path(cache_dir: &Path, output: &Path) -> PathBuf {
    cache_dir
        .join("stamps")
        .join(format!("{}.stamp", output_hex(output)))
}

/// Where the stamp of the site `output` held before its last build lives: that site is kept
/// for the next build to take up (`output::tree`), and this stamp says what it holds.
fn previous_path(cache_dir: &Path, output: &Path) -> PathBuf {
    cache_dir
        .join("stamps")
        .join(format!("{}.previous.stamp", output_hex(output)))
}

fn output_hex(output: &Path) -> String {
    let abs = std::path::absolute(output).unwrap_or_else(|_| output.to_path_buf());
    let key = Key::of(&[abs.to_string_lossy().as_bytes()]);
    key.as_bytes()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The output's files as a stamp lists them, sorted by path (as `output::Tree::listing`
/// gives them); `None` if it cannot be read whole.
fn listing(output: &Path) -> Option<Vec<(String, u64, u128)>> {
    let mut files = list(output, "")?;
    files.sort();
    Some(files)
}

/// The files under `dir` (named from `rel`; a name that is not UTF-8 was never written by a
/// build, and its lossy spelling only has to fail to match). Entries are
/// taken in parallel by runs of [`RUN`], each run in order: one parallel task per entry cost
/// more than the `stat` it made. (At 100 000 documents the output holds 200 000 files:
/// listing them one after another took 3 s of every build, twice when the build checks the
/// old output; at 10 000 the listing of the site before last is still the largest part of
/// the time a rebuild spends before its documents are loaded.)
fn list(dir: &Path, rel: &str) -> Option<Vec<(String, u64, u128)>> {
    let mut entries: Vec<(String, std::fs::DirEntry)> = std::fs::read_dir(dir)
        .ok()?
        .map(|e| {
            let e = e.ok()?;
            let name = e.file_name().to_string_lossy().into_owned();
            Some((name, e))
        })
        .collect::<Option<_>>()?;
    // In name order: the whole listing is sorted by path after, which finds runs in order.
    entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let run = |run: &[(String, std::fs::DirEntry)]| {
        let mut files = Vec::with_capacity(run.len());
        for (name, entry) in run {
            let path = if rel.is_empty() {
                name.clone()
            } else {
                format!("{rel}/{name}")
            };
            if entry.file_type().ok()?.is_dir() {
                files.extend(list(&entry.path(), &path)?);
            } else {
                let meta = entry.metadata().ok()?;
                files.push((path, meta.len(), mtime(&meta)));
            }
        }
        Some(files)
    };
    if entries.len() <= RUN {
        return run(&entries);
    }
    let runs = entries
        .par_chunks(RUN)
        .map(run)
        .collect::<Option<Vec<_>>>()?;
    Some(runs.concat())
}

/// How many entries of a folder [`list`] takes in one parallel task.
const RUN: usize = 64;

/// The stamp of the last build of `output`, if it was made from `inputs` and the output is
/// still exactly as that build left it.
///
/// A stamp starts with its check, its layout and its inputs (the first field of [`Stamp`]): a
/// build whose inputs changed, the usual case, sees that before it reads, checks and decodes
/// the rest (4 MB at 10 000 documents). A stamp that starts otherwise is only a shortcut not
/// taken.
pub(crate) fn unchanged(cache_dir: &Path, output: &Path, inputs: &Inputs) -> Option<Stamp> {
    use std::io::Read as _;
    let file = path(cache_dir, output);
    let start = postcard::to_allocvec(&(FORMAT, inputs.key().as_bytes())).ok()?;
    let mut head = Vec::with_capacity(32 + start.len());
    std::fs::File::open(&file)
        .ok()?
        .take((32 + start.len()) as u64)
        .read_to_end(&mut head)
        .ok()?;
    head.get(32..)
        .is_some_and(|h| h == start.as_slice())
        .then_some(())?;
    let stamp = parse(&std::fs::read(&file).ok()?)?;
    (&stamp.inputs == inputs.key().as_bytes() && listing(output)? == stamp.files).then_some(stamp)
}

/// The files of `site`, the site `output` held before its last build (kept beside it), with
/// their sizes and modification times, if it is still exactly as that build left it: every
/// file there, no other, each as it was written. With them, the checks of the bytes of those
/// its build wrote (see [`Stamp::sums`]). `None` otherwise, or when there is no record of it.
pub(crate) fn previous_files(cache_dir: &Path, output: &Path, site: &Path) -> Option<Previous> {
    let stamp = read_at(&previous_path(cache_dir, output))?;
    (listing(site)? == stamp.files).then_some(())?;
    Some((stamp.files, stamp.sums.into_iter().collect()))
}

/// A site kept from before the last build, as [`previous_files`] finds it.
pub(crate) type Previous = (Vec<(String, u64, u128)>, HashMap<String, Sum>);

fn read_at(file: &Path) -> Option<Stamp> {
    parse(&std::fs::read(file).ok()?)
}

/// The layout of a stamp: change it whenever [`Stamp`] changes shape. Stamps are postcard,
/// which is not self-describing: a stamp of another shape could decode as garbage rather than
/// fail. (They were JSON, 5 MB at 10 000 documents, written and read by every build.)
const FORMAT: &[u8] = b"gazette stamp 2";

/// The stamp, if it is whole: its file is the BLAKE3 hash of the rest, then [`FORMAT`] and the
/// stamp (a damaged stamp that still decoded could print another build's warnings or counts).
fn parse(bytes: &[u8]) -> Option<Stamp> {
    let (check, body) = bytes.split_at_checked(32)?;
    (check == blake3::hash(body).as_bytes()).then_some(())?;
    let (format, stamp): (&[u8], Stamp) = postcard::from_bytes(body).ok()?;
    (format == FORMAT).then_some(stamp)
}

/// What a build made, as the next unchanged build reports it without reading anything.
pub(crate) struct Made<'a> {
    pub documents: usize,
    pub pages: usize,
    pub warnings: &'a [Diagnostic],
    /// Embargoed documents: how many, and the first day one is published.
    pub waiting: Option<(usize, String)>,
}

/// Records what `output` holds once `built` (its staging folder, recorded before the swap so
/// that no moment exists where the output holds new pages without a stamp) is published there.
/// Failures only cost the next build its shortcut and its cached pages.
pub(crate) fn record(
    cache_dir: &Path,
    output: &Path,
    built: &super::Tree,
    inputs: &Inputs,
    made: Made<'_>,
) {
    let Made {
        documents,
        pages,
        warnings,
        waiting,
    } = made;
    // What the tree wrote and kept, not the folder listed again: every file of a build goes
    // through it (a file that did not would only make the next build find the output touched
    // and render its pages again; tests in `build.rs` and `publish.rs` under `tests/suite/`
    // check that the next build, fresh or over the site before last, finds nothing changed).
    let warnings = warnings
        .iter()
        .map(|d| Warning {
            code: d.code.as_str().to_string(),
            file: d.file.clone(),
            pos: d.pos.map(|p| (p.line, p.column)),
            message: d.message.clone(),
            hint: d.hint.clone(),
        })
        .collect();
    let body = built.with_made(|files, sums| {
        let stamp = Recorded {
            inputs: inputs.key().as_bytes(),
            documents,
            pages,
            files,
            sums,
            warnings,
            waiting,
        };
        postcard::to_allocvec(&(FORMAT, &stamp))
    });
    let file = path(cache_dir, output);
    // The stamp of the site being replaced becomes the record of the site kept beside it.
    let previous = previous_path(cache_dir, output);
    if std::fs::rename(&file, &previous).is_err() {
        let _ = std::fs::remove_file(&previous);
    }
    if let (Some(dir), Ok(body)) = (file.parent(), body) {
        let tmp = file.with_extension(format!("tmp{}", std::process::id()));
        let mut bytes = Vec::with_capacity(32 + body.len());
        bytes.extend_from_slice(blake3::hash(&body).as_bytes());
        bytes.extend_from_slice(&body);
        let ok = std::fs::create_dir_all(dir).is_ok()
            && std::fs::write(&tmp, bytes).is_ok()
            && std::fs::rename(&tmp, &file).is_ok();
        if !ok {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_damaged_stamp_is_no_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let (cache, out) = (dir.path().join("cache"), dir.path().join("public"));
        let tree = super::super::Tree::fresh(out.clone());
        tree.write(&out.join("index.html"), b"<p>").unwrap();
        let json = b"{}";
        tree.write_hashed(
            &out.join("a.json"),
            json,
            Some(blake3::hash(json).as_bytes()),
        )
        .unwrap();
        let inputs = Inputs::of_key(Key::of(&[b"inputs"]));
        let made = Made {
            documents: 3,
            pages: 4,
            warnings: &[],
            waiting: None,
        };
        record(&cache, &out, &tree, &inputs, made);
        let stamp = unchanged(&cache, &out, &inputs).expect("a whole stamp is used");
        assert_eq!((stamp.documents, stamp.pages), (3, 4));
        assert_eq!(
            stamp.files,
            tree.listing(),
            "written borrowed, read back owned"
        );
        assert_eq!(stamp.sums, tree.sums());
        assert_eq!(stamp.sums.len(), 1, "the file written with its hash");
        // 3 documents → 9: still a stamp that decodes, no longer the stamp that was written.
        let file = path(&cache, &out);
        let mut bytes = std::fs::read(&file).unwrap();
        let at = 32 + FORMAT.len() + 1 + 32;
        assert_eq!(bytes[at], 3, "documents follow the inputs");
        bytes[at] = 9;
        std::fs::write(&file, &bytes).unwrap();
        assert!(unchanged(&cache, &out, &inputs).is_none());
    }
}
