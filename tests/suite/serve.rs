//! `gazette serve` on the real binary over real TCP: the edit → rebuild → reload loop, the
//! error overlay and its recovery, what the server refuses to serve, and clients that misbehave.
//! No timing assertions: every wait polls with a generous deadline.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness::{AS_OF, bin, read, sample_site};

const DEADLINE: Duration = Duration::from_secs(60);
const DOC: &str = "content/documents/2021/lzb-2021-18.md";
const DOC_URL: &str = "/documents/lzb-2021-18/";

/// A running `gazette serve`, killed when dropped (whatever the test's outcome).
pub(crate) struct Serve {
    child: Child,
    pub(crate) addr: SocketAddr,
    log: Arc<Mutex<String>>,
}

impl Serve {
    pub(crate) fn start(root: &Path) -> Serve {
        let mut child = Command::new(bin())
            .args(["serve", "--root", root.to_str().unwrap(), "--port", "0"])
            .args(["--as-of", AS_OF])
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start gazette serve");
        let log = Arc::new(Mutex::new(String::new()));
        // Drain stderr so the server never blocks on a full pipe; keep it for failure messages.
        let stderr = child.stderr.take().unwrap();
        let sink = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                sink.lock().unwrap().push_str(&(line + "\n"));
            }
        });
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve {
            child,
            addr: "127.0.0.1:0".parse().unwrap(),
            log,
        };
        let url = rx
            .recv_timeout(DEADLINE)
            .unwrap_or_else(|_| panic!("serve printed no URL:\n{}", serve.log()));
        let host = url
            .strip_prefix("http://")
            .and_then(|u| u.strip_suffix('/'))
            .unwrap_or_else(|| panic!("not a URL: {url}"));
        serve.addr = host.parse().unwrap();
        serve
    }

    pub(crate) fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    fn get(&self, path: &str) -> Reply {
        fetch(self.addr, "GET", path)
    }

    /// Polls `path` until `ok` holds for the reply; panics with the server's log at the deadline.
    pub(crate) fn wait_for(&self, path: &str, what: &str, ok: impl Fn(&Reply) -> bool) -> Reply {
        let start = Instant::now();
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            if start.elapsed() > DEADLINE {
                panic!(
                    "{what}: still not seen at {path}\n--- last reply ({}):\n{}\n--- serve log:\n{}",
                    r.status,
                    r.body,
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) struct Reply {
    pub(crate) status: u16,
    head: String,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }
}

/// A tiny HTTP/1.1 client: one request, read to the end (the server closes).
pub(crate) fn fetch(addr: SocketAddr, method: &str, path: &str) -> Reply {
    raw(
        addr,
        format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").as_bytes(),
    )
}

fn raw(addr: SocketAddr, request: &[u8]) -> Reply {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(10)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    s.write_all(request).unwrap();
    let mut bytes = Vec::new();
    s.read_to_end(&mut bytes).expect("read reply");
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {text:?}"));
    Reply {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

fn edit(root: &Path, rel: &str, f: impl Fn(String) -> String) {
    let path = root.join(rel);
    let text = f(read(&path));
    std::fs::write(path, text).unwrap();
}

fn has_overlay(r: &Reply) -> bool {
    r.body.contains("id=\"gazette-overlay\"")
}

#[test]
fn serve_rebuilds_on_save_shows_errors_over_the_last_good_site_and_recovers() {
    let site = sample_site();
    let root = site.path();
    let serve = Serve::start(root);
    assert!(serve.addr.ip().is_loopback(), "loopback by default");

    let home = serve.get("/");
    assert_eq!(home.status, 200, "{}", serve.log());
    assert_eq!(
        home.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("洛阳市人民政府公报"));
    assert!(home.body.contains("<script src=\"/__gazette/live.js?v="));
    assert!(!has_overlay(&home));
    assert!(
        !root.join("public").exists(),
        "serve never writes the real output"
    );

    // A page open in a browser listens for the next build.
    let version = home
        .body
        .split("live.js?v=")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let mut events = TcpStream::connect(serve.addr).unwrap();
    events
        .write_all(format!("GET /__gazette/events?v={version} HTTP/1.1\r\n\r\n").as_bytes())
        .unwrap();
    events.set_read_timeout(Some(DEADLINE)).unwrap();

    // Edit: the new title is served after the rebuild, and the open page is told to reload.
    edit(root, DOC, |t| {
        t.replace(
            "title: 洛阳市人民政府办公室关于印发",
            "title: 修改后的标题洛阳市人民政府办公室关于印发",
        )
    });
    serve.wait_for(DOC_URL, "the edited title", |r| {
        r.status == 200 && r.body.contains("修改后的标题")
    });
    let mut stream = String::new();
    let mut buf = [0u8; 1024];
    while !stream.contains("event: reload") {
        let n = events.read(&mut buf).expect("reload event");
        assert!(n > 0, "event stream closed early: {stream}");
        stream.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    assert!(stream.contains("text/event-stream"), "{stream}");
    // The saved page came first, from the quick preview; the full rebuild then brings the lists.
    serve.wait_for("/documents/", "the edited title in the list", |r| {
        r.body.contains("修改后的标题")
    });
    let log = serve.log();
    assert!(log.contains("已更新修改的 1 个文件页面"), "{log}");

    // Break: every page carries the overlay with file:line; the last good site stays under it.
    edit(root, DOC, |t| t.replace("expires:", "expire:"));
    let broken = serve.wait_for(DOC_URL, "the error overlay", has_overlay);
    assert!(
        broken.body.contains(&format!("{DOC}:10:1")),
        "{}",
        broken.body
    );
    assert!(broken.body.contains("unknown-key"));
    assert!(
        broken.body.contains("修改后的标题"),
        "last good page still served"
    );
    assert!(has_overlay(&serve.get("/")));
    let missing = serve.get("/no-such-page/");
    assert_eq!(missing.status, 404);
    assert!(has_overlay(&missing), "even the 404 page");
    let css = serve.get("/__gazette/overlay.css");
    assert_eq!(css.status, 200);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        serve.log().contains(&format!("--> {DOC}:10:1")),
        "errors in the terminal"
    );

    // Fix: the overlay goes, the server is still the same process.
    edit(root, DOC, |t| t.replace("expire:", "expires:"));
    serve.wait_for(DOC_URL, "recovery", |r| r.status == 200 && !has_overlay(r));
    assert!(!has_overlay(&serve.get("/")));

    // Replaced builds are removed in the background: one folder is left.
    let start = Instant::now();
    while builds(root) != 1 {
        assert!(
            start.elapsed() < DEADLINE,
            "old builds kept: {}",
            builds(root)
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(serve.get("/").status, 200);
}

fn builds(root: &Path) -> usize {
    std::fs::read_dir(root.join(".gazette-cache/serve"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("site-"))
        .count()
}

#[test]
fn serve_starts_on_broken_content_and_never_exits_on_it() {
    let site = sample_site();
    let root = site.path();
    edit(root, DOC, |t| t.replace("expires:", "expire:"));
    let mut serve = Serve::start(root);
    let first = serve.get("/");
    assert_eq!(first.status, 404, "nothing built yet");
    assert!(
        has_overlay(&first) && first.body.contains(DOC),
        "{}",
        first.body
    );
    // Editor temp files do not count as changes; real saves do.
    std::fs::write(root.join("content/documents/.x.md.swp"), "junk").unwrap();
    edit(root, DOC, |t| t.replace("expire:", "expires:"));
    serve.wait_for("/", "the first good build", |r| {
        r.status == 200 && !has_overlay(r)
    });
    assert!(serve.child.try_wait().unwrap().is_none(), "still running");
    assert!(!serve.log().contains(".x.md.swp"), "{}", serve.log());

    // Restarted on broken content, it shows the previous session's last good build.
    drop(serve);
    edit(root, DOC, |t| t.replace("expires:", "expire:"));
    let serve = Serve::start(root);
    let r = serve.get("/");
    assert_eq!(r.status, 200, "{}", serve.log());
    assert!(has_overlay(&r) && r.body.contains("洛阳市人民政府公报"));
}

#[test]
fn serve_serves_nothing_outside_its_output_and_answers_only_get_and_head() {
    let site = sample_site();
    let root = site.path();
    std::fs::write(root.join("secret.txt"), "SECRET").unwrap();
    let serve = Serve::start(root);
    assert_eq!(serve.get("/").status, 200, "{}", serve.log());

    // The hostile corpus's case "serve": every way out of the output is a plain 404.
    crate::hostile::readme("serve");
    let absolute = format!("{}/secret.txt", root.display());
    for path in [
        "/..",
        "/../gazette.toml",
        "/%2e%2e/gazette.toml",
        "/%2E%2E/%2E%2E/gazette.toml",
        "/.%2e/gazette.toml",
        "/%2e%2e%2fgazette.toml",
        "/documents/..%2f..%2f..%2fgazette.toml",
        "/documents/%2e%2e/%2e%2e/%2e%2e/gazette.toml",
        "/documents/%2E%2E%2F%2E%2E%2F%2E%2E%2Fgazette.toml",
        "/%252e%252e/gazette.toml",
        "/documents/%c0%ae%c0%ae/gazette.toml",
        "//etc/passwd",
        "/%2fetc/passwd",
        "/%2Fetc%2Fpasswd",
        "/etc/passwd",
        absolute.as_str(),
        "/index.html%00.css",
        "/%00",
        "/..\\gazette.toml",
        "/..%5cgazette.toml",
        "/C:/Windows/win.ini",
        "/c:%5cwindows%5cwin.ini",
        "/.gazette-cache/",
        "/content/documents/",
    ] {
        let r = serve.get(path);
        assert_eq!(r.status, 404, "{path}: {}", r.body);
        assert!(
            !r.body.contains("base_url") && !r.body.contains("root:") && !r.body.contains("SECRET"),
            "{path} leaked"
        );
    }
    // A symbolic link inside the output that points out of it.
    #[cfg(unix)]
    {
        let out = serve_dir(root);
        std::os::unix::fs::symlink(root, out.join("escape")).unwrap();
        std::os::unix::fs::symlink(root.join("secret.txt"), out.join("s.txt")).unwrap();
        for path in ["/escape/gazette.toml", "/escape/secret.txt", "/s.txt"] {
            let r = serve.get(path);
            assert_eq!(r.status, 404, "{path}");
            assert!(!r.body.contains("SECRET"), "{path}");
        }
    }

    // The site's 404 page, a slash for folders, HEAD without a body, nothing but GET and HEAD.
    let nf = serve.get("/nope");
    assert_eq!(nf.status, 404);
    assert!(nf.body.contains("页面不存在"), "the site's own 404.html");
    let dir = serve.get("/documents?page=2");
    assert_eq!(dir.status, 301);
    assert_eq!(dir.header("location"), Some("/documents/?page=2"));
    let head = fetch(serve.addr, "HEAD", "/");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    assert!(
        head.header("content-length")
            .unwrap()
            .parse::<u64>()
            .unwrap()
            > 1000
    );
    let post = fetch(serve.addr, "POST", "/");
    assert_eq!(post.status, 405);
    assert_eq!(post.header("allow"), Some("GET, HEAD"));
    // Malformed request lines get 400, and the server goes on serving.
    for bad in [
        &b"NONSENSE\r\n\r\n"[..],
        b"\r\n\r\n",
        b"GET\r\n\r\n",
        b"GET /\r\n\r\n",
        b"GET / HTTP/1.1 extra\r\n\r\n",
        b"GET  / HTTP/1.1\r\n\r\n",
        b"GET http://evil.example/../ HTTP/1.1\r\n\r\n",
        b"GET ../gazette.toml HTTP/1.1\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"get / HTTP/1.1\r\n\r\n",
        b"GET /\xff\xfe HTTP/1.1\r\n\r\n",
        b"GET /a\x1b[2J HTTP/1.1\r\n\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03\r\n\r\n",
    ] {
        let r = raw(serve.addr, bad);
        assert_eq!(r.status, 400, "{}", String::from_utf8_lossy(bad));
        assert_eq!(
            serve.get("/").status,
            200,
            "after {}",
            String::from_utf8_lossy(bad)
        );
    }

    for (path, kind) in [
        ("/assets/gazette.css", "text/css; charset=utf-8"),
        ("/data/documents.json", "application/json; charset=utf-8"),
        ("/data/documents.csv", "text/csv; charset=utf-8"),
        ("/feed.xml", "text/xml; charset=utf-8"),
        ("/sitemap.xml", "text/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        (
            "/documents/zfxxgk-ndbg-2024/zfxxgk-ndbg-2024.pdf",
            "application/pdf",
        ),
        ("/__gazette/live.js", "text/javascript; charset=utf-8"),
    ] {
        let r = serve.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(kind), "{path}");
    }
    // Pages are the built file with the stylesheet and script before `</head>`, and their
    // length is announced exactly: short pages, and long ones whose rest the kernel sends.
    let out = serve_dir(root);
    for (path, file) in [
        ("/", "index.html"),
        (
            "/documents/lzb-2021-18/",
            "documents/lzb-2021-18/index.html",
        ),
        ("/documents/", "documents/index.html"),
        ("/search/", "search/index.html"),
    ] {
        let r = serve.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(
            r.header("content-length"),
            Some(r.body.len().to_string().as_str()),
            "{path}"
        );
        let built = std::fs::read_to_string(out.join(file)).unwrap();
        let tags = r
            .body
            .find("<link rel=\"stylesheet\" href=\"/__gazette/overlay.css\">");
        let tags = tags.expect("the injected stylesheet");
        let end = tags + r.body[tags..].find("</script>").unwrap() + "</script>".len();
        assert!(r.body[end..].starts_with("</head>"), "{path}");
        assert_eq!(
            format!("{}{}", &r.body[..tags], &r.body[end..]),
            built,
            "{path}"
        );
    }
    let long = std::fs::metadata(out.join("documents/index.html"))
        .unwrap()
        .len();
    assert!(
        long > 16 * 1024,
        "a page longer than what is read first: {long}"
    );

    let pdf = serve.get("/documents/zfxxgk-ndbg-2024/zfxxgk-ndbg-2024.pdf");
    let on_disk = std::fs::metadata(root.join("content/documents/2025/zfxxgk-ndbg-2024.pdf"))
        .unwrap()
        .len();
    assert_eq!(
        pdf.header("content-length"),
        Some(on_disk.to_string().as_str())
    );
}

#[test]
fn a_client_that_says_nothing_does_not_stall_the_others() {
    let site = sample_site();
    let serve = Serve::start(site.path());
    // Several clients connect and say nothing, or half a request, and hold on.
    let mut idle = Vec::new();
    for i in 0..8 {
        let mut s = TcpStream::connect(serve.addr).unwrap();
        if i % 2 == 1 {
            s.write_all(b"GET /index.html HT").unwrap();
        }
        idle.push(s);
    }
    // One trickles a request a byte at a time, for longer than the head deadline.
    let trickler = {
        let addr = serve.addr;
        std::thread::spawn(move || {
            let mut s = TcpStream::connect(addr).unwrap();
            let request = b"GET /documents/ HTTP/1.1\r\nHost: x\r\n\r\n";
            let mut sent = 0;
            for b in request.iter() {
                if s.write_all(&[*b]).is_err() {
                    break; // hung up on: what we want
                }
                sent += 1;
                std::thread::sleep(Duration::from_millis(500));
            }
            sent
        })
    };
    // Others are served meanwhile, many times over.
    for _ in 0..5 {
        let r = serve.get("/documents/");
        assert_eq!(r.status, 200, "{}", serve.log());
    }
    // The silent ones are eventually hung up on, not kept forever.
    let mut s = idle.pop().unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut buf = Vec::new();
    let _ = s.read_to_end(&mut buf);
    // An oversized request head is refused.
    let big = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(64 * 1024));
    let mut s = TcpStream::connect(serve.addr).unwrap();
    s.set_read_timeout(Some(DEADLINE)).unwrap();
    let _ = s.write_all(big.as_bytes());
    let mut reply = Vec::new();
    let _ = s.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 431"),
        "{reply}"
    );
    drop(idle);
    assert_eq!(serve.get("/").status, 200);
    // The trickler is cut off before it finishes its request (the head has a deadline).
    let sent = trickler.join().unwrap();
    assert!(
        sent < 43,
        "a trickled request was waited for to the end ({sent} bytes)"
    );
}

/// The folder serve is serving: its newest build under `.gazette-cache/serve/` (never
/// `public/`).
fn serve_dir(root: &Path) -> PathBuf {
    std::fs::read_dir(root.join(".gazette-cache/serve"))
        .unwrap()
        .flatten()
        .filter_map(|e| {
            let n: u64 = e
                .file_name()
                .to_str()?
                .strip_prefix("site-")?
                .parse()
                .ok()?;
            Some((n, e.path()))
        })
        .max()
        .expect("a build folder")
        .1
}
