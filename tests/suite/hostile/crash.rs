//! Builds that die or collide: SIGKILL at random moments, two builds of one output at once, and
//! the same output for the same input whatever the thread count.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

use super::{build, build_ok, readme, site, tree, tree_hash};
use crate::harness::{build_command, sample_site, stderr};

const DOC: &str = "content/documents/2021/lzb-2021-18.md";
const DEADLINE: Duration = Duration::from_secs(120);

/// A small deterministic generator (xorshift64*): the same kill moments on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// In [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Two versions of the sample site's content: `A` as shipped, `B` with an edited title.
fn set_version(root: &Path, original: &str, b: bool) {
    let text = if b {
        original.replace("城镇老旧小区改造实施办法", "城镇老旧小区改造实施细则(修订)")
    } else {
        original.to_string()
    };
    std::fs::write(root.join(DOC), text).unwrap();
}

fn spawn_build(root: &Path, out: &Path) -> Child {
    build_command(root, out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start gazette build")
}

/// Folders a build leaves beside the output while it works (`.public.staging-<pid>`).
fn staging_folders(out: &Path) -> Vec<PathBuf> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    let mut found: Vec<PathBuf> = std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            n.starts_with(&format!(".{name}.staging-")) || n.starts_with(&format!(".{name}.old-"))
        })
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// The folders left beside `out` once a published build's old site has had time to go: the
/// old site is removed in the background after the swap (a `.old-` folder, for a moment), a
/// staging folder must never stay.
fn leftovers(out: &Path) -> Vec<PathBuf> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let found = staging_folders(out);
        let removing = found.iter().any(|p| p.to_string_lossy().contains(".old-"));
        if !removing || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_published_site_whole() {
    readme("kill-build");
    let site = sample_site();
    let root = site.path();
    let original = std::fs::read_to_string(root.join(DOC)).unwrap();
    // The two complete sites, built apart, and how long one build takes here.
    let refs = tempfile::tempdir().unwrap();
    let mut hash = Vec::new();
    let mut took = Duration::ZERO;
    for b in [false, true] {
        set_version(root, &original, b);
        let started = Instant::now();
        build_ok(root, &refs.path().join(format!("{b}")), &["--no-cache"]);
        took = took.max(started.elapsed());
        hash.push(tree_hash(&refs.path().join(format!("{b}"))));
    }
    assert_ne!(hash[0], hash[1]);

    let out = root.join("public");
    set_version(root, &original, false);
    build_ok(root, &out, &[]);
    let mut published = false; // version A
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut kept, mut mid_write) = (0, 0);
    const KILLS: u32 = 20;
    for k in 0..KILLS {
        let target = !published;
        set_version(root, &original, target);
        let mut child = spawn_build(root, &out);
        let pid = child.id();
        if k % 4 == 1 {
            // Right when it starts writing: poll for its staging folder.
            let start = Instant::now();
            let staging = out.with_file_name(format!(".public.staging-{pid}"));
            while !staging.exists() && child.try_wait().unwrap().is_none() {
                assert!(
                    start.elapsed() < DEADLINE,
                    "the build never started writing"
                );
                std::thread::sleep(Duration::from_micros(200));
            }
            if k % 8 == 5 {
                std::thread::sleep(took.mul_f64(0.3 * rng.unit()));
            }
        } else {
            // Anywhere over a whole build, from reading the content to the swap.
            std::thread::sleep(took.mul_f64((f64::from(k) + rng.unit()) / f64::from(KILLS) * 1.2));
        }
        let _ = child.kill(); // SIGKILL
        let status = child.wait().unwrap();
        if staging_folders(&out)
            .iter()
            .any(|p| p.to_string_lossy().contains(".staging-"))
        {
            mid_write += 1;
        }
        let now = tree_hash(&out);
        if now == hash[usize::from(published)] {
            kept += 1;
        } else {
            assert_eq!(
                now,
                hash[usize::from(target)],
                "kill {k}: the output is neither the previous site nor the new one ({status})"
            );
        }
        // The next build succeeds despite the lock file and any leftover staging folder, and
        // gives exactly the new site (the cache survived the kill too).
        let o = build(root, &out, &[]);
        assert!(
            o.status.success(),
            "kill {k}: the next build failed:\n{}",
            stderr(&o)
        );
        assert_eq!(
            tree_hash(&out),
            hash[usize::from(target)],
            "kill {k}: next build"
        );
        assert!(leftovers(&out).is_empty(), "kill {k}: leftovers stay");
        published = target;
    }
    eprintln!("{KILLS} kills: {kept} left the previous site, {mid_write} interrupted the writing");
    assert!(kept > 0, "no kill landed before the swap");
    assert!(
        mid_write > 0,
        "no kill interrupted a build while it was writing"
    );
}

#[cfg(unix)]
#[test]
fn a_second_build_of_the_same_output_is_turned_away_by_the_lock() {
    readme("concurrent-builds");
    let site = sample_site();
    let root = site.path();
    let out = root.join("public");
    build_ok(root, &out, &[]);
    let before = tree(&out);
    let original = std::fs::read_to_string(root.join(DOC)).unwrap();
    set_version(root, &original, true);

    // The first build takes the lock and starts writing; it is frozen there.
    let mut first = spawn_build(root, &out);
    let pid = first.id();
    let staging = out.with_file_name(format!(".public.staging-{pid}"));
    let start = Instant::now();
    while !staging.exists() {
        assert!(
            first.try_wait().unwrap().is_none(),
            "the first build ended early"
        );
        assert!(
            start.elapsed() < DEADLINE,
            "the first build never started writing"
        );
        std::thread::sleep(Duration::from_micros(200));
    }
    // SAFETY: kill(2) on our own child's pid.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGSTOP) }, 0);

    let second = build(root, &out, &[]);
    // SAFETY: as above.
    assert_eq!(unsafe { libc::kill(pid as i32, libc::SIGCONT) }, 0);
    assert_eq!(second.status.code(), Some(1), "{}", stderr(&second));
    let lock = root.join(".public.lock");
    assert_eq!(
        stderr(&second),
        format!(
            "error[output-locked]: 另一个 gazette 正在生成 {}\n  --> {}\n   = 提示：等它结束后再运行；若确认没有其他构建在运行，可删除锁文件后重试\n\n生成失败：1 个错误。已发布的网站没有改动。\n",
            out.display(),
            lock.display()
        )
    );
    assert!(
        tree(&out) == before,
        "the turned-away build touched the output"
    );

    let status = first.wait_with_output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let after = tree(&out);
    assert!(after != before, "the first build published its site");
    assert!(
        after
            .iter()
            .any(|(_, b)| String::from_utf8_lossy(b).contains("城镇老旧小区改造实施细则(修订)"))
    );
}

#[test]
fn builds_started_together_leave_one_complete_site() {
    readme("concurrent-builds");
    // Two sites, one output folder: whichever wins, the output is one of them, whole.
    let a = sample_site();
    let b = sample_site();
    let original = std::fs::read_to_string(b.path().join(DOC)).unwrap();
    set_version(b.path(), &original, true);
    let refs = tempfile::tempdir().unwrap();
    build_ok(a.path(), &refs.path().join("a"), &[]);
    build_ok(b.path(), &refs.path().join("b"), &[]);
    let (ha, hb) = (
        tree_hash(&refs.path().join("a")),
        tree_hash(&refs.path().join("b")),
    );
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("site");
    let mut turned_away = 0;
    for round in 0..6 {
        let children = [spawn_build(a.path(), &out), spawn_build(b.path(), &out)];
        let results: Vec<_> = children
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let mut won = Vec::new();
        for (i, r) in results.iter().enumerate() {
            let err = String::from_utf8_lossy(&r.stderr);
            if r.status.success() {
                won.push(i);
            } else {
                assert_eq!(r.status.code(), Some(1), "round {round}: {err}");
                assert!(
                    err.starts_with("error[output-locked]: 另一个 gazette 正在生成 "),
                    "round {round}: {err}"
                );
                turned_away += 1;
            }
        }
        assert!(!won.is_empty(), "round {round}: neither build published");
        let now = tree_hash(&out);
        match won.as_slice() {
            [0] => assert_eq!(now, ha, "round {round}"),
            [1] => assert_eq!(now, hb, "round {round}"),
            _ => assert!(now == ha || now == hb, "round {round}: a mixed site"),
        }
        assert!(leftovers(&out).is_empty(), "round {round}: leftovers");
    }
    eprintln!("6 rounds: {turned_away} builds turned away by the lock");
}

#[test]
fn hostile_sites_build_byte_identically_on_one_and_two_threads() {
    readme("determinism");
    for name in ["raw-html", "front-matter-escaping", "non-public-canary"] {
        let s = site(name);
        let mut hashes = Vec::new();
        for threads in ["1", "2", "2"] {
            let out = s.path().join(format!("out-{threads}-{}", hashes.len()));
            let o = build_command(s.path(), &out)
                .env("RAYON_NUM_THREADS", threads)
                .output()
                .unwrap();
            assert!(
                o.status.success(),
                "{name}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
            hashes.push(tree_hash(&out));
        }
        assert_eq!(hashes[0], hashes[1], "{name}: 1 and 2 threads differ");
        assert_eq!(hashes[1], hashes[2], "{name}: two runs differ");
    }
}
