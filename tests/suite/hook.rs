//! The publishing recipes of `deploy/`, run for real: the `post-receive` hook in a bare
//! repository with real pushes, and the check and build steps of the GitHub Actions and GitLab CI
//! files on the sample site.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::harness::{bin, copy_dir, files, read, repo};

const BROKEN: &str = "content/documents/2021/lzb-2021-18.md";

/// `git` with no user or system configuration, so the machine's settings cannot interfere.
fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(["-c", "user.name=编辑", "-c", "user.email=editor@example.cn"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "advice.detachedHead=false",
        ])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("LC_ALL", "C.UTF-8")
        .env_remove("GAZETTE_BIN")
        .env_remove("GAZETTE_WEBROOT")
        .output()
        .expect("run git")
}

fn ok(o: Output, what: &str) -> Output {
    assert!(
        o.status.success(),
        "{what} failed:\n{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    o
}

fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// Commits everything in `work` and pushes it; returns everything the pusher saw.
fn commit_and_push(work: &Path, bare: &Path, message: &str) -> String {
    ok(git(work, &["add", "-A"]), "git add");
    ok(git(work, &["commit", "-q", "-m", message]), "git commit");
    let o = ok(
        git(work, &["push", bare.to_str().unwrap(), "main"]),
        "git push",
    );
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn post_receive_publishes_a_good_push_and_keeps_the_site_on_a_broken_one() {
    let tmp = tempfile::tempdir().unwrap();
    let bare = tmp.path().join("gazette.git");
    let webroot = tmp.path().join("www/gazette");
    std::fs::create_dir_all(&bare).unwrap();
    ok(git(&bare, &["init", "-q", "--bare"]), "git init --bare");
    let hook = bare.join("hooks/post-receive");
    std::fs::copy(repo().join("deploy/post-receive"), &hook).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let config = |k: &str, v: &str| ok(git(&bare, &["config", k, v]), "git config");
    config("gazette.webroot", webroot.to_str().unwrap());
    config("gazette.bin", bin().to_str().unwrap());

    // An editor's working copy of the sample site.
    let work = tmp.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    ok(git(&work, &["init", "-q"]), "git init");
    std::fs::copy(repo().join("gazette.toml"), work.join("gazette.toml")).unwrap();
    copy_dir(&repo().join("content"), &work.join("content"));

    let out = commit_and_push(&work, &bare, "第一版");
    assert!(out.contains("已发布"), "{out}");
    assert!(webroot.join("index.html").is_file(), "{out}");
    assert!(webroot.join("documents/lzb-2021-18/index.html").is_file());
    let published = snapshot(&webroot);

    // A broken commit: the pusher sees file:line, the web root does not change by one byte.
    let doc = work.join(BROKEN);
    std::fs::write(&doc, read(&doc).replace("expires:", "expire:")).unwrap();
    let out = commit_and_push(&work, &bare, "写错了一个键");
    assert!(out.contains(&format!("{BROKEN}:10:1")), "{out}");
    assert!(out.contains("unknown-key"), "{out}");
    assert!(out.contains("发布失败"), "{out}");
    assert!(
        snapshot(&webroot) == published,
        "the published site changed"
    );
    let leftovers: Vec<String> = std::fs::read_dir(tmp.path().join("www"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("staging") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // The fix is published.
    std::fs::write(
        &doc,
        read(&doc)
            .replace("expire:", "expires:")
            .replace("title: ", "title: 已改正:"),
    )
    .unwrap();
    let out = commit_and_push(&work, &bare, "改正");
    assert!(out.contains("已发布"), "{out}");
    assert!(read(webroot.join("documents/lzb-2021-18/index.html")).contains("已改正:"));

    // Pushing another branch publishes nothing.
    ok(
        git(&work, &["checkout", "-q", "-b", "draft"]),
        "git checkout",
    );
    std::fs::write(&doc, read(&doc).replace("已改正:", "草稿:")).unwrap();
    ok(git(&work, &["commit", "-qam", "草稿"]), "git commit");
    let before = snapshot(&webroot);
    let o = ok(
        git(&work, &["push", bare.to_str().unwrap(), "draft"]),
        "git push draft",
    );
    assert!(!String::from_utf8_lossy(&o.stderr).contains("已发布"));
    assert!(snapshot(&webroot) == before);
}

/// Runs a recipe's shell step in `dir` as CI would (bash, errexit, pipefail), with the test
/// binary as `gazette` on PATH.
fn run_step(script: &str, dir: &Path, env: &[(&str, &str)]) -> Output {
    let bin_dir = bin().parent().unwrap().to_path_buf();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script])
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("run bash")
}

fn yaml(file: &str) -> serde_json::Value {
    serde_saphyr::from_str(&read(repo().join("deploy").join(file)))
        .unwrap_or_else(|e| panic!("deploy/{file} is not valid YAML: {e}"))
}

fn site_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(repo().join("gazette.toml"), dir.path().join("gazette.toml")).unwrap();
    copy_dir(&repo().join("content"), &dir.path().join("content"));
    dir
}

fn has_jq() -> bool {
    Command::new("jq").arg("--version").output().is_ok()
}

#[test]
fn the_github_workflow_checks_with_annotations_and_builds_for_its_pages_url() {
    let wf = yaml("github-actions.yml");
    let steps = wf["jobs"]["build"]["steps"]
        .as_array()
        .expect("build steps");
    let step = |name: &str| {
        steps
            .iter()
            .find(|s| s["name"] == name)
            .and_then(|s| s["run"].as_str())
            .unwrap_or_else(|| panic!("no `{name}` step"))
            .to_string()
    };
    assert!(step("Install gazette").contains("cargo install --locked"));
    let site = site_copy();
    let root = site.path();

    let build = run_step(
        &step("Build"),
        root,
        &[("BASE_URL", "https://editors.example.cn/gazette")],
    );
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let home = read(root.join("public/index.html"));
    assert!(
        home.contains("/gazette/assets/gazette.css"),
        "project-page base path"
    );

    if !has_jq() {
        eprintln!("jq is not installed: skipping the annotation step of the workflow");
        return;
    }
    let clean = run_step(&step("Check"), root, &[]);
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let doc = root.join(BROKEN);
    std::fs::write(&doc, read(&doc).replace("expires:", "expire:")).unwrap();
    let failed = run_step(&step("Check"), root, &[]);
    assert_eq!(failed.status.code(), Some(1));
    let out = String::from_utf8_lossy(&failed.stdout);
    assert!(
        out.contains(&format!(
            "::error file={BROKEN},line=10,col=1,title=unknown-key::"
        )),
        "{out}"
    );
}

#[test]
fn the_gitlab_job_builds_public_for_pages() {
    let ci = yaml("gitlab-ci.yml");
    let pages = &ci["pages"];
    assert_eq!(pages["artifacts"]["paths"][0], "public");
    let script: Vec<&str> = pages["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let site = site_copy();
    let root = site.path();
    let o = run_step(
        &script.join("\n"),
        root,
        &[("CI_PAGES_URL", "https://editors.example.cn/site")],
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(read(root.join("public/index.html")).contains("/site/assets/gazette.css"));

    let check: Vec<&str> = ci["check"]["script"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    let doc = root.join(BROKEN);
    std::fs::write(&doc, read(&doc).replace("expires:", "expire:")).unwrap();
    let o = run_step(&check.join("\n"), root, &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("{BROKEN}:10:1")));
}
