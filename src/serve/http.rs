//! A small HTTP/1.1 server for an editor's browser, on `std::net`: a thread per open connection,
//! taken from a pool that keeps threads between connections ([`super::workers`]).
//!
//! No async runtime: one editor's browser opens a handful of connections, and a thread each is
//! simpler to read and to bound. Each connection gets read and write timeouts and a deadline for
//! its request head, and the number of connections (and of live-reload streams among them) is
//! capped, so a client that connects and says nothing, trickles bytes or never reads costs one
//! thread for a few seconds and never stalls the others. GET and HEAD only; one request per
//! connection (`Connection: close`); files are resolved by [`super::path`], which serves nothing
//! outside the output folder. HTML gets the live-reload script and the error overlay injected.
//!
//! Under load (issue 16) the cap is high enough for 200 busy clients, and a full server makes
//! room instead of turning a real request away: it drops the connection that has waited
//! longest for its request head — where a slow-loris keeps every connection it opens. Only
//! when no connection is waiting for its head (all are being answered) is a client told 503.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::overlay;
use super::path::{self, Resolved};
use super::state::{Snapshot, State};
use super::workers::Workers;

/// Bounds on what one client may take.
#[derive(Debug, Clone)]
pub struct Limits {
    pub max_connections: usize,
    pub max_event_streams: usize,
    /// Longest wait for one read.
    pub read_timeout: Duration,
    /// Longest time to receive a whole request head.
    pub head_deadline: Duration,
    /// Longest wait for one write.
    pub write_timeout: Duration,
    pub max_head_bytes: usize,
    /// How often an idle live-reload stream is pinged (which also notices closed pages).
    pub keepalive: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_connections: 512,
            max_event_streams: 32,
            read_timeout: Duration::from_secs(5),
            head_deadline: Duration::from_secs(10),
            write_timeout: Duration::from_secs(10),
            max_head_bytes: 16 * 1024,
            keepalive: Duration::from_secs(15),
        }
    }
}

/// What every connection thread shares.
pub struct Server {
    /// Which folder to serve (a new one after each good build), read once per request.
    pub state: Arc<State>,
    pub limits: Limits,
    connections: AtomicUsize,
    streams: AtomicUsize,
    waiting: Mutex<Waiting>,
    /// The connections' threads, kept between connections.
    workers: Arc<Workers>,
}

/// The connections still reading their request head, by arrival: the first is the oldest.
#[derive(Default)]
struct Waiting {
    next: u64,
    heads: BTreeMap<u64, TcpStream>,
}

impl Server {
    pub fn new(state: Arc<State>, limits: Limits) -> Self {
        Server {
            state,
            limits,
            connections: AtomicUsize::new(0),
            streams: AtomicUsize::new(0),
            waiting: Mutex::new(Waiting::default()),
            // A small stack: hundreds of connections may be open at once.
            workers: Workers::new("gazette-conn", 256 * 1024, Duration::from_secs(60)),
        }
    }

    fn waiting(&self) -> std::sync::MutexGuard<'_, Waiting> {
        self.waiting.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Notes that `stream` is waiting for its request head; its number, to say when it is not.
    fn waits(&self, stream: &TcpStream) -> Option<u64> {
        let clone = stream.try_clone().ok()?;
        let mut w = self.waiting();
        let id = w.next;
        w.next += 1;
        w.heads.insert(id, clone);
        Some(id)
    }

    fn got_head(&self, id: Option<u64>) {
        if let Some(id) = id {
            self.waiting().heads.remove(&id);
        }
    }

    /// Closes the connection that has waited longest for its request head (its thread then
    /// ends and frees its slot); `false` when none is waiting.
    fn drop_oldest_waiting(&self) -> bool {
        let oldest = self.waiting().heads.pop_first();
        match oldest {
            Some((_, stream)) => {
                let _ = stream.shutdown(Shutdown::Both);
                true
            }
            None => false,
        }
    }
}

/// Accepts connections on a thread of its own.
pub fn spawn(listener: TcpListener, server: Arc<Server>) -> io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("gazette-http".into())
        .spawn(move || accept_loop(&listener, &server))
}

/// Holds one slot of a counter; frees it when dropped (whatever happens to the thread).
struct Slot<'a>(&'a AtomicUsize);

impl<'a> Slot<'a> {
    fn take(counter: &'a AtomicUsize, max: usize) -> Option<Self> {
        if counter.fetch_add(1, Ordering::AcqRel) >= max {
            counter.fetch_sub(1, Ordering::AcqRel);
            None
        } else {
            Some(Slot(counter))
        }
    }
}

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

fn accept_loop(listener: &TcpListener, server: &Arc<Server>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            // Out of file descriptors and the like: back off instead of spinning.
            std::thread::sleep(Duration::from_millis(50));
            continue;
        };
        let slot = match Connection::take(server) {
            Some(slot) => slot,
            // The dropped connection's slot is freed as its thread ends: take it now.
            None if server.drop_oldest_waiting() => Connection::make_room(server),
            None => {
                busy(stream);
                continue;
            }
        };
        let waiting = server.waits(&stream);
        // If no thread can start, the job (and the slot in it) is dropped.
        if server
            .workers
            .run(move || handle(stream, &slot.0, waiting))
            .is_err()
        {
            server.got_head(waiting);
        }
    }
}

/// One connection's slot under `max_connections`, owned by its thread.
struct Connection(Arc<Server>);

impl Connection {
    fn take(server: &Arc<Server>) -> Option<Self> {
        Slot::take(&server.connections, server.limits.max_connections).map(|slot| {
            std::mem::forget(slot);
            Connection(Arc::clone(server))
        })
    }

    /// A slot over the cap, for a connection that replaces one being dropped.
    fn make_room(server: &Arc<Server>) -> Self {
        server.connections.fetch_add(1, Ordering::AcqRel);
        Connection(Arc::clone(server))
    }
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.0.connections.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Turns a connection away without waiting on it.
fn busy(stream: TcpStream) {
    let _ = stream.set_nonblocking(true);
    let _ = (&stream).write_all(
        b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
}

/// One parsed request line.
#[derive(Debug, PartialEq, Eq)]
pub struct Request {
    pub method: String,
    /// The path, still percent-encoded.
    pub path: String,
    pub query: Option<String>,
}

#[derive(Debug, PartialEq, Eq)]
enum HeadError {
    /// Closed, timed out or failed: nothing worth answering.
    Gone,
    TooLarge,
    Malformed,
}

fn handle(mut stream: TcpStream, server: &Server, waiting: Option<u64>) {
    let limits = &server.limits;
    let _ = stream.set_read_timeout(Some(limits.read_timeout));
    let _ = stream.set_write_timeout(Some(limits.write_timeout));
    let _ = stream.set_nodelay(true);
    let head = read_head(&mut stream, limits);
    server.got_head(waiting);
    let request = match head {
        Ok(head) => parse(&head),
        Err(HeadError::TooLarge) => Err(431),
        Err(HeadError::Malformed) => Err(400),
        Err(HeadError::Gone) => return,
    };
    let result = match request {
        Ok(req) => respond(&mut stream, server, &req),
        Err(status) => Response::text(status, reason(status)).send(&mut stream, false),
    };
    if result.is_ok() {
        let _ = stream.flush();
        let _ = stream.shutdown(Shutdown::Write);
    }
}

/// Reads up to the blank line that ends the request head (included), within the limits.
fn read_head(stream: &mut TcpStream, limits: &Limits) -> Result<Vec<u8>, HeadError> {
    let started = Instant::now();
    let mut head = Vec::new();
    let mut buf = [0u8; 2048];
    loop {
        if started.elapsed() > limits.head_deadline {
            return Err(HeadError::Gone);
        }
        let n = match stream.read(&mut buf) {
            Ok(0) => return Err(HeadError::Gone),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return Err(HeadError::Gone),
        };
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = find_end(&head) {
            head.truncate(end);
            return Ok(head);
        }
        if head.len() > limits.max_head_bytes {
            return Err(HeadError::TooLarge);
        }
        if head.contains(&0) {
            return Err(HeadError::Malformed);
        }
    }
}

/// Where the head ends, after its blank line. Our own scan, not httparse's `Partial`: httparse
/// skips leading blank lines (as RFC 9112 allows), and a head of nothing but blank lines must
/// get its 400 rather than be waited on.
fn find_end(head: &[u8]) -> Option<usize> {
    let crlf = head
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| i + 4);
    let lf = head.windows(2).position(|w| w == b"\n\n").map(|i| i + 2);
    match (crlf, lf) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// How many header lines a request may have (more is a 431).
const MAX_HEADERS: usize = 64;

/// A whole request head (up to its blank line), parsed by httparse: `METHOD /path?query
/// HTTP/1.x` and well-formed header lines. Anything else is a 400 (431 for too many headers).
pub fn parse(head: &[u8]) -> Result<Request, u16> {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut req = httparse::Request::new(&mut headers);
    match req.parse(head) {
        Ok(httparse::Status::Complete(_)) => {}
        Err(httparse::Error::TooManyHeaders) => return Err(431),
        Ok(httparse::Status::Partial) | Err(_) => return Err(400),
    }
    let (Some(method), Some(target)) = (req.method, req.path) else {
        return Err(400);
    };
    // httparse accepts any token as a method; HTTP's are upper case, and `get` is a typo.
    if !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(400);
    }
    // Origin form only, visible ASCII only (httparse allows other bytes; browsers
    // percent-encode them): this keeps the path safe to echo in a `Location` header.
    if !target.starts_with('/') || !target.bytes().all(|b| (0x21..0x7f).contains(&b)) {
        return Err(400);
    }
    let target = target.split('#').next().unwrap_or(target);
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (target, None),
    };
    Ok(Request {
        method: method.to_string(),
        path: path.to_string(),
        query,
    })
}

fn respond(stream: &mut TcpStream, server: &Server, req: &Request) -> io::Result<()> {
    let head_only = match req.method.as_str() {
        "GET" => false,
        "HEAD" => true,
        _ => {
            return Response::text(405, "Method Not Allowed")
                .header("Allow", "GET, HEAD")
                .send(stream, false);
        }
    };
    // One snapshot per request: the folder, the overlay and the version of the same moment.
    let now = server.state.current();
    if let Some(name) = req.path.strip_prefix("/__gazette/") {
        return match name {
            "events" if !head_only => events(stream, server, req.query.as_deref()),
            "events" => Response::new(200, "text/event-stream; charset=utf-8", Vec::new())
                .send(stream, true),
            "live.js" => Response::new(
                200,
                "text/javascript; charset=utf-8",
                overlay::LIVE_JS.into(),
            )
            .send(stream, head_only),
            "overlay.css" => {
                Response::new(200, "text/css; charset=utf-8", overlay::OVERLAY_CSS.into())
                    .send(stream, head_only)
            }
            _ => not_found(&now).send(stream, head_only),
        };
    }
    let Some(site) = now.site.as_deref() else {
        return not_found(&now).send(stream, head_only);
    };
    // A quick preview's page, if it has this one; else the last full build's.
    let quick = now
        .quick
        .as_deref()
        .map(|q| path::resolve(q, &req.path))
        .filter(|r| matches!(r, Resolved::File(_)));
    match quick.unwrap_or_else(|| path::resolve(site, &req.path)) {
        Resolved::AddSlash => {
            let location = match &req.query {
                Some(q) => format!("{}/?{q}", req.path),
                None => format!("{}/", req.path),
            };
            Response::text(301, "Moved Permanently")
                .header("Location", &location)
                .send(stream, head_only)
        }
        Resolved::NotFound => not_found(&now).send(stream, head_only),
        Resolved::File(file) => {
            let kind = path::content_type(&file);
            let sent = if kind.starts_with("text/html") {
                send_page(stream, &file, kind, &now, head_only)
            } else {
                send_file(stream, &file, kind, head_only)
            };
            // Swapped away between resolving and reading: as if it never existed.
            sent.or_else(|_| not_found(&now).send(stream, head_only))
        }
    }
}

/// How much of a page [`send_page`] reads to find where the script and overlay go: enough for
/// the head of every page the default theme writes (2–3 KB unminified), with room to spare.
const PAGE_START: usize = 16 * 1024;

/// An HTML page with the live-reload script and the overlay injected, without holding the page
/// in memory: its start, up to past the `<body …>` tag, is read into a buffer on the stack and
/// sent with what is injected; the rest goes from the file to the socket by the kernel
/// (`io::copy`, which uses `sendfile`). Under load (issue 16) reading whole pages into fresh
/// heap memory was half of the server's CPU time (the allocator's pages, given back between
/// requests, were zeroed by the kernel again for each one). A page whose head is longer than
/// [`PAGE_START`], or that is not a whole document, is read whole.
fn send_page(
    stream: &mut TcpStream,
    file: &std::path::Path,
    kind: Cow<'static, str>,
    now: &Snapshot,
    head_only: bool,
) -> io::Result<()> {
    let mut f = std::fs::File::open(file)?;
    let len = f.metadata()?.len();
    let mut start = [0u8; PAGE_START];
    let mut n = 0;
    while n < start.len() {
        match f.read(&mut start[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let start = &start[..n];
    let head = overlay::head_tags(&now.version);
    let rest = len.saturating_sub(n as u64);
    if overlay::places(start).is_none() && rest > 0 {
        let whole = std::fs::read(file)?;
        let page = overlay::injected(&whole, &head, now.overlay.as_deref());
        return Response::new(200, kind, Vec::new()).send_parts(stream, &page, head_only);
    }
    let page = overlay::injected(start, &head, now.overlay.as_deref());
    let length = page.iter().map(|p| p.len() as u64).sum::<u64>() + rest;
    let response = Response::new(200, kind, Vec::new()).head(Some(length));
    if head_only {
        return write_parts(stream, &[&response]);
    }
    let mut parts = vec![&response[..]];
    parts.extend_from_slice(&page);
    write_parts(stream, &parts)?;
    io::copy(&mut f.take(rest), stream)?;
    Ok(())
}

/// The site's own `404.html` (with the overlay), or a bare page when there is none yet.
fn not_found(now: &Snapshot) -> Response {
    let html = now
        .site
        .as_deref()
        .and_then(|site| std::fs::read(site.join("404.html")).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_else(|| overlay::empty_page("404 页面不存在"));
    let page = overlay::inject(&html, &now.version, now.overlay.as_deref());
    Response::new(404, "text/html; charset=utf-8", page.into_bytes())
}

/// Streams a file (attachments can be large) after its head.
fn send_file(
    stream: &mut TcpStream,
    file: &std::path::Path,
    kind: Cow<'static, str>,
    head_only: bool,
) -> io::Result<()> {
    let f = std::fs::File::open(file)?;
    let len = f.metadata()?.len();
    stream.write_all(&Response::new(200, kind, Vec::new()).head(Some(len)))?;
    if !head_only {
        io::copy(&mut f.take(len), stream)?;
    }
    Ok(())
}

/// The live-reload stream: one `reload` event when the site's version differs from `v`, pings
/// meanwhile. The page reloads on the event, so the stream then ends.
fn events(stream: &mut TcpStream, server: &Server, query: Option<&str>) -> io::Result<()> {
    let Some(_slot) = Slot::take(&server.streams, server.limits.max_event_streams) else {
        return Response::text(503, "Service Unavailable").send(stream, false);
    };
    let seen = query
        .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("v=")))
        .map(|v| String::from_utf8_lossy(&path::percent_decode(v).unwrap_or_default()).into_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| server.state.current().version);
    stream.write_all(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\nretry: 1000\n\n",
    )?;
    loop {
        match server.state.wait_for_change(&seen, server.limits.keepalive) {
            Some(version) => {
                return stream.write_all(format!("event: reload\ndata: {version}\n\n").as_bytes());
            }
            None => stream.write_all(b": ping\n\n")?,
        }
    }
}

/// A whole response held in memory (pages, errors); files are streamed by [`send_file`].
struct Response {
    status: u16,
    kind: Cow<'static, str>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16, kind: impl Into<Cow<'static, str>>, body: Vec<u8>) -> Self {
        Response {
            status,
            kind: kind.into(),
            headers: Vec::new(),
            body,
        }
    }

    fn text(status: u16, text: &str) -> Self {
        Self::new(
            status,
            "text/plain; charset=utf-8",
            format!("{text}\n").into(),
        )
    }

    fn header(mut self, name: &'static str, value: &str) -> Self {
        self.headers.push((name, value.to_string()));
        self
    }

    fn head(&self, len: Option<u64>) -> Vec<u8> {
        let mut h = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n",
            self.status,
            reason(self.status),
            self.kind,
            len.unwrap_or(self.body.len() as u64)
        );
        for (name, value) in &self.headers {
            h.push_str(&format!("{name}: {value}\r\n"));
        }
        h.push_str("\r\n");
        h.into_bytes()
    }

    fn send(mut self, stream: &mut TcpStream, head_only: bool) -> io::Result<()> {
        let body = std::mem::take(&mut self.body);
        self.send_parts(stream, &[&body], head_only)
    }

    /// Sends the head, then `body` (the concatenation of its parts; `self.body` is ignored).
    fn send_parts(self, stream: &mut TcpStream, body: &[&[u8]], head_only: bool) -> io::Result<()> {
        let len = body.iter().map(|p| p.len() as u64).sum();
        let head = self.head(Some(len));
        let mut parts = vec![&head[..]];
        if !head_only {
            parts.extend_from_slice(body);
        }
        write_parts(stream, &parts)
    }
}

/// Writes every byte of `parts`, in order, in as few system calls as the socket takes them.
fn write_parts(stream: &mut TcpStream, parts: &[&[u8]]) -> io::Result<()> {
    let mut slices: Vec<IoSlice<'_>> = parts
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| IoSlice::new(p))
        .collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        match stream.write_vectored(rest) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => IoSlice::advance_slices(&mut rest, n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_lines() {
        assert_eq!(
            parse(b"GET /a/b?x=1 HTTP/1.1\r\nHost: x\r\n\r\n"),
            Ok(Request {
                method: "GET".into(),
                path: "/a/b".into(),
                query: Some("x=1".into())
            })
        );
        assert_eq!(
            parse(b"HEAD / HTTP/1.0\n\n").map(|r| r.method),
            Ok("HEAD".into())
        );
        for bad in [
            &b"GET http://x/ HTTP/1.1"[..],
            b"GET / HTTP/2.0",
            b"GET  / HTTP/1.1",
            b"GET /a\x01 HTTP/1.1",
            b"GET /\xe6\x96\x87 HTTP/1.1",
            b"get / HTTP/1.1",
            b"GET /",
            b"GET / HTTP/1.1\r\nNo colon here",
            b"GET / HTTP/1.1\r\nBad name: x",
            b"",
        ] {
            let head = [bad, b"\r\n\r\n"].concat();
            assert_eq!(parse(&head), Err(400), "{}", String::from_utf8_lossy(bad));
        }
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "A: b\r\n".repeat(MAX_HEADERS + 1)
        );
        assert_eq!(parse(many.as_bytes()), Err(431));
        let enough = format!("GET / HTTP/1.1\r\n{}\r\n", "A: b\r\n".repeat(MAX_HEADERS));
        assert!(parse(enough.as_bytes()).is_ok());
    }

    #[test]
    fn the_head_ends_at_the_first_blank_line() {
        assert_eq!(find_end(b"GET / HTTP/1.1\r\nA: b\r\n\r\nbody"), Some(24));
        assert_eq!(find_end(b"GET / HTTP/1.1\n\n"), Some(16));
        assert_eq!(find_end(b"\r\n\r\n"), Some(4));
        assert_eq!(find_end(b"GET / HTTP/1.1\r\n"), None);
    }
}
