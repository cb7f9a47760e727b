//! The session as `serve` uses it: load once, take saves in, render the saved pages.

use super::*;

/// The contract fixture's configuration (read, not `include_str!`: test data is no part of the
/// binary's identity, see `cache::identity_tests`).
fn config() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/contract/gazette.toml"
    ))
    .unwrap()
}

fn doc(title: &str, disclosure: &str, body: &str) -> String {
    format!(
        "---\ntitle: {title}\nkind: policy\nissuer: 洛阳市人民政府\npublished: 2020-03-05\n\
         disclosure: {disclosure}\n---\n{body}\n"
    )
}

/// What a save gave: the errors, or the saved page rendered.
enum Saved {
    Rendered { folder: PathBuf, pages: usize },
    Failed(Vec<Diagnostic>),
}

/// Saves `text` as `content/documents/<name>.md`, takes it into the session and renders its
/// page as `serve` does.
fn save(s: &mut Session, root: &Path, name: &str, text: &str) -> Saved {
    let file = PathBuf::from(format!("content/documents/{name}.md"));
    std::fs::write(root.join(&file), text).unwrap();
    let folder = root.join(format!("quick-{name}-{}", text.len()));
    assert_eq!(s.update(std::slice::from_ref(&file)), Update::Documents);
    match s.snapshot() {
        Ok(snapshot) => {
            let pages = snapshot.render_documents(&[file], &folder).unwrap();
            Saved::Rendered { folder, pages }
        }
        Err(diags) => Saved::Failed(diags),
    }
}

fn errors(saved: &Saved) -> Vec<String> {
    match saved {
        Saved::Failed(ds) => ds
            .iter()
            .filter(|d| d.is_error())
            .map(|d| format!("{} {}", d.file.as_deref().unwrap().display(), d.code))
            .collect(),
        Saved::Rendered { .. } => Vec::new(),
    }
}

fn settings() -> Settings {
    Settings {
        as_of: Date::constant(2026, 6, 30),
        base_url: Some("http://127.0.0.1:1/".into()),
        cache_dir: None,
    }
}

/// A site with the contract's configuration and `docs` as `content/documents/<name>.md`.
fn site_with(docs: &[(&str, String)]) -> tempfile::TempDir {
    let site = tempfile::tempdir().unwrap();
    let root = site.path();
    std::fs::create_dir_all(root.join("content/documents")).unwrap();
    std::fs::write(root.join("gazette.toml"), config()).unwrap();
    for (name, text) in docs {
        std::fs::write(root.join(format!("content/documents/{name}.md")), text).unwrap();
    }
    site
}

#[test]
fn every_update_checks_the_whole_site_though_it_reads_only_the_bodies_that_changed() {
    let site = site_with(&[
        ("a", doc("甲", "public", "正文。")),
        ("b", doc("乙", "public", "正文。")),
        ("secret", doc("密", "withheld", "正文。")),
    ]);
    let root = site.path();
    let mut p = Session::load(root, settings());
    assert!(!p.diagnostics().has_errors());
    let leak = ["content/documents/a.md non-public-reference"];

    // The saved body links to the withheld document.
    let q = save(
        &mut p,
        root,
        "a",
        &doc("甲", "public", "见[该文件](../secret/)。"),
    );
    assert_eq!(errors(&q), leak);
    // Another save: a's body is not read again, and still counts.
    let q = save(&mut p, root, "b", &doc("乙二", "public", "正文。"));
    assert_eq!(errors(&q), leak);
    // Fixed: a's page is rendered into the folder.
    let q = save(&mut p, root, "a", &doc("甲", "public", "见[乙](../b/)。"));
    let Saved::Rendered { folder, pages } = q else {
        panic!("{:?}", errors(&q));
    };
    assert_eq!(pages, 1);
    let page = std::fs::read_to_string(folder.join("documents/a/index.html")).unwrap();
    assert!(
        page.contains("<p>见<a href=\"../b/\" rel=\"noopener noreferrer\">乙</a>。</p>"),
        "{page}"
    );
    // b is withheld now: a's unchanged body links to a non-public document, and says so.
    let q = save(&mut p, root, "b", &doc("乙二", "withheld", "正文。"));
    assert_eq!(errors(&q), leak);
}

#[test]
fn only_documents_markdown_is_taken_in_file_by_file() {
    let yes = |p: &[&str]| only_documents(&p.iter().map(PathBuf::from).collect::<Vec<_>>());
    assert!(yes(&["content/documents/2024/a.md"]));
    assert!(yes(&[
        "content/documents/2024/a.md",
        "content/documents/2023/b.md"
    ]));
    assert!(!yes(&[]));
    assert!(!yes(&["gazette.toml"]));
    assert!(!yes(&[
        "content/documents/2024/a.md",
        "themes/x/templates/base.html"
    ]));
    assert!(
        !yes(&["content/documents/2024/a.pdf"]),
        "attachments are copied by the full build"
    );
    assert!(!yes(&["content/gazette/2024-01.md"]));
    assert!(!yes(&["content/documents/2024/.a.md"]));
}

#[test]
fn any_other_change_reads_the_whole_site_again_and_a_broken_configuration_recovers() {
    let site = site_with(&[("a", doc("甲", "public", "正文。"))]);
    let root = site.path();
    let mut s = Session::load(root, settings());
    assert!(s.snapshot().is_ok());

    // A slip in gazette.toml: nothing can be checked, and nothing is rendered.
    std::fs::write(
        root.join("gazette.toml"),
        format!("{}\ntitle = 1\n", config()),
    )
    .unwrap();
    let toml = [PathBuf::from("gazette.toml")];
    assert_eq!(s.update(&toml), Update::Everything);
    assert!(s.diagnostics().has_errors());
    let Err(diags) = s.snapshot() else {
        panic!("a broken configuration gave a site");
    };
    assert!(
        diags
            .iter()
            .any(|d| d.file.as_deref() == Some(Path::new("gazette.toml"))),
        "{diags:?}"
    );
    // A saved document cannot be taken in file by file without a configuration.
    std::fs::write(
        root.join("content/documents/b.md"),
        doc("乙", "public", "正文。"),
    )
    .unwrap();
    assert_eq!(
        s.update(&[PathBuf::from("content/documents/b.md")]),
        Update::Everything
    );
    // Fixed: both documents are in the site.
    std::fs::write(root.join("gazette.toml"), config()).unwrap();
    assert_eq!(s.update(&toml), Update::Everything);
    let snapshot = s.snapshot().expect("the site loads again");
    let titles: Vec<&str> = snapshot
        .site()
        .docs()
        .map(|(_, d)| d.document.title.as_str())
        .collect();
    assert_eq!(titles.len(), 2, "{titles:?}");
}

#[test]
fn a_document_saved_again_while_a_build_ran_stops_it_rather_than_render_or_keep_another_text() {
    let site = site_with(&[
        ("a", doc("甲", "public", "正文。")),
        ("b", doc("乙", "public", "旧的正文。")),
    ]);
    let root = site.path();
    let cache = root.join(".gazette-cache");
    let settings = Settings {
        cache_dir: Some(cache.clone()),
        ..settings()
    };
    // A first build keeps every file's check.
    assert!(
        !Session::load(root, settings.clone())
            .diagnostics()
            .has_errors()
    );
    // The next one knows b by the hash of those bytes, unread (`output::inputs`); b is saved
    // again before the build reads it.
    let file = PathBuf::from("content/documents/b.md");
    let hash = source::file_hash(&file, &std::fs::read(root.join(&file)).unwrap());
    std::fs::write(root.join(&file), doc("乙", "public", "新的正文。")).unwrap();
    let known = source::Read {
        hash,
        bytes: source::Contents::Known {
            root: Arc::from(root),
            hash,
        },
    };
    let prefetched = source::Prefetched::new([(file.clone(), known)].into_iter().collect());
    let session = Session::load_prefetched(root, settings, Some(&prefetched));
    assert!(
        !session.diagnostics().has_errors(),
        "b's kept check is taken: its text is not read yet"
    );
    let tree = crate::output::Tree::fresh(root.join("out"));
    let options = RenderOptions {
        minify: false,
        cache_dir: Some(cache.clone()),
    };
    let snapshot = session.into_snapshot().expect("no errors");
    let Err(diags) = snapshot.render(&tree, &options, None, &mut Timings::start()) else {
        panic!("a page was made of a text the build did not hash");
    };
    let d = diags.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!(d.file.as_deref(), Some(file.as_path()));
    assert!(d.message.contains("被改动"), "{}", d.message);
    // Nothing made of the new text was kept: it would be found again under the old hash.
    for entry in walkdir::WalkDir::new(&cache).into_iter().flatten() {
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let new = "新的正文".as_bytes();
            assert!(
                !bytes.windows(new.len()).any(|w| w == new),
                "{} holds the new text",
                entry.path().display()
            );
        }
    }
}
