//! Test helper for the site search: runs `gazette::search` outside a site build.
//!
//! The JavaScript tests (`tests/js/search-*.test.mjs`) call it to compare Rust with lunr.js:
//!
//! ```text
//! search_dump tokenize                       stdin: JSON array of strings; stdout: their terms
//! search_dump positions                      the same; stdout: [terms, positions] per string
//! search_dump fold                           the same; stdout: the strings folded to simplified
//! search_dump index DOCS.json OUT [--target-shard-bytes N] [--doc-chunk N] [--length-chunk N]
//!                                   [--page BASE.html]
//!                                   [--no-unsplit] [--cache DIR]
//! ```
//!
//! `index` reads a JSON array of `SearchDoc`s and writes under OUT the search files (`search/…`),
//! `unsplit.json` (the whole lunr index in one file, ref = document id), and `tokens.json` (each
//! document's terms per field, in ordinal order, for rebuilding the index with `lunr.Builder`).
//! With `--page`, it also renders `themes/default/templates/search.html` over the given stand-in
//! `base.html` into `OUT/search/index.html` and copies the theme's static files to OUT, giving a
//! site the browser test can open before `gazette build` exists. `--no-unsplit` writes only the
//! search files (for measuring large synthetic archives). `--cache DIR` builds them as a site
//! build does, through the build cache in DIR (`search::memo`; the default layout only), and
//! prints the seconds it took (for `benches/incremental.sh`).

use std::error::Error;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use gazette::search::{self, FIELDS, Options, SearchDoc};

type Result<T> = std::result::Result<T, Box<dyn Error>>;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("tokenize") => each_text(|t| {
            serde_json::json!(
                search::tokenize(t)
                    .iter()
                    .map(|t| t.as_str())
                    .collect::<Vec<_>>()
            )
        }),
        Some("positions") => each_text(|t| {
            let (terms, positions) = search::tokenize_positioned(t);
            serde_json::json!([
                terms.iter().map(|t| t.as_str()).collect::<Vec<_>>(),
                positions
            ])
        }),
        Some("fold") => each_text(|t| serde_json::json!(search::fold::fold(t))),
        Some("index") => index(&args[1..]),
        _ => Err(
            "usage: search_dump tokenize | positions | fold | index DOCS.json OUT [options]".into(),
        ),
    }
}

/// Reads a JSON array of strings from stdin and prints the array of `f` of each.
fn each_text(f: impl Fn(&str) -> serde_json::Value) -> Result<()> {
    let mut input = String::new();
    std::io::stdin().read_to_string(&mut input)?;
    let texts: Vec<String> = serde_json::from_str(&input)?;
    let out: Vec<serde_json::Value> = texts.iter().map(|t| f(t)).collect();
    println!("{}", serde_json::to_string(&out)?);
    Ok(())
}

fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()).into())
}

fn index(args: &[String]) -> Result<()> {
    let [docs_path, out, rest @ ..] = args else {
        return Err("index needs DOCS.json and OUT".into());
    };
    let mut options = Options::default();
    let mut page: Option<PathBuf> = None;
    let mut unsplit = true;
    let mut cache: Option<PathBuf> = None;
    let mut rest = rest.iter();
    while let Some(flag) = rest.next() {
        if flag == "--no-unsplit" {
            unsplit = false;
            continue;
        }
        let value = rest.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--target-shard-bytes" => options.target_shard_bytes = value.parse()?,
            "--doc-chunk" => options.doc_chunk = value.parse()?,
            "--length-chunk" => options.length_chunk = value.parse()?,
            "--page" => page = Some(PathBuf::from(value)),
            "--cache" => cache = Some(PathBuf::from(value)),
            _ => return Err(format!("unknown option {flag}").into()),
        }
    }
    let text = fs::read_to_string(docs_path).map_err(|e| format!("{docs_path}: {e}"))?;
    let docs: Vec<SearchDoc> = serde_json::from_str(&text)?;
    let out = Path::new(out);
    let files = match cache {
        Some(dir) => {
            let started = std::time::Instant::now();
            let cache = gazette::cache::Cache::new(Some(dir));
            let files = search::memo::search_files(docs.clone(), &cache, &WithText, &());
            cache.finish();
            println!("{:.3}", started.elapsed().as_secs_f64());
            files
        }
        None => search::build_search_files_with(&docs, &options),
    };
    for file in files {
        write(&out.join(&file.path), &file.bytes)?;
    }
    if unsplit {
        write_unsplit(&docs, out)?;
    }
    if let Some(base) = page {
        render_page(&docs, &base, out)?;
    }
    Ok(())
}

/// `unsplit.json` and `tokens.json` (see the module comment).
fn write_unsplit(docs: &[SearchDoc], out: &Path) -> Result<()> {
    let ordered = search::ordered(docs);
    let refs: Vec<String> = ordered.iter().map(|d| d.id.clone()).collect();
    write(
        &out.join("unsplit.json"),
        search::build_index(&ordered).to_lunr_json(&refs).as_bytes(),
    )?;
    let tokens: Vec<serde_json::Value> = ordered
        .iter()
        .map(|d| {
            let fields = search::doc_tokens(d);
            let mut map = serde_json::Map::new();
            map.insert("id".into(), d.id.clone().into());
            for (field, terms) in FIELDS.iter().zip(fields) {
                let terms: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
                map.insert(field.name.into(), terms.into());
            }
            serde_json::Value::Object(map)
        })
        .collect();
    write(&out.join("tokens.json"), &serde_json::to_vec(&tokens)?)
}

/// The search page over a stand-in base template, with filters taken from the documents.
fn render_page(docs: &[SearchDoc], base: &Path, out: &Path) -> Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
    let mut tera = tera::Tera::default();
    gazette::register_default_theme_words(&mut tera, "zh-CN");
    tera.add_raw_template("base.html", &fs::read_to_string(base)?)?;
    let template = fs::read_to_string(root.join("templates/search.html"))?;
    tera.add_raw_template("search.html", &template)?;
    let mut statuses: Vec<(String, String)> = Vec::new();
    let mut kinds: Vec<(String, String)> = Vec::new();
    let mut issuers: Vec<String> = Vec::new();
    let mut years: Vec<i32> = Vec::new();
    for d in docs {
        statuses.push((d.status.clone(), d.status_label.clone()));
        kinds.push((d.kind.clone(), d.kind_label.clone()));
        issuers.extend(d.issuers.iter().cloned());
        years.push(d.year);
    }
    for list in [&mut statuses, &mut kinds] {
        list.sort();
        list.dedup();
    }
    issuers.sort();
    issuers.dedup();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    let pairs = |list: &[(String, String)]| -> Vec<serde_json::Value> {
        list.iter()
            .map(|(v, l)| serde_json::json!({"value": v, "label": l}))
            .collect()
    };
    let filters = serde_json::json!({
        "statuses": pairs(&statuses),
        "kinds": pairs(&kinds),
        // As the site build may: the slug as value (here a made-up one), the full name as name.
        "issuers": issuers.iter().enumerate().map(|(n, name)| serde_json::json!({
            "value": format!("issuer-{n}"), "label": name, "name": name
        })).collect::<Vec<_>>(),
        "years": years,
    });
    let mut context = tera::Context::new();
    context.insert(
        "site",
        &serde_json::json!({"title": "洛阳市人民政府公报", "base_path": "/"}),
    );
    context.insert("filters", &filters);
    write(
        &out.join("search/index.html"),
        tera.render("search.html", &context)?.as_bytes(),
    )?;
    copy_dir(&root.join("static"), out)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    for entry in fs::read_dir(from).map_err(|e| format!("{}: {e}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            write(&target, &fs::read(entry.path())?)?;
        }
    }
    Ok(())
}

/// Documents read from JSON come with their text: none is handed over unread.
struct WithText;

impl search::Texts for WithText {
    fn text(&self, _: usize) -> String {
        String::new()
    }
}
