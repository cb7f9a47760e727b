//! `gazette serve` under load (issue 16): many clients at once are all answered, and a
//! slow-loris holding hundreds of connections open does not starve real requests. No timing
//! assertions: every request is waited for; what is asserted is that each gets its page.
//! (Latency figures are measured by `benches/serve-load.mjs`, in SECURITY.md.)

use std::io::Write;
use std::net::TcpStream;

use super::readme;
use crate::harness::sample_site;
use crate::serve::{Serve, fetch};

const PAGES: &[&str] = &["/", "/documents/lzb-2021-18/", "/search/", "/gazette/"];

#[test]
fn a_slow_loris_and_200_clients_at_once_get_no_503() {
    readme("serve-load");
    let site = sample_site();
    let serve = Serve::start(site.path());
    serve.wait_for("/", "the first build", |r| r.status == 200);
    // 600 connections that send half a request head and then nothing, held open.
    let loris: Vec<TcpStream> = (0..600)
        .map(|_| {
            let mut s = TcpStream::connect(serve.addr).expect("connect");
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
            s
        })
        .collect();
    // 200 clients at once, a few requests each.
    let addr = serve.addr;
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let clients: Vec<_> = (0..200)
            .map(|i| {
                scope.spawn(move || {
                    (0..3)
                        .map(|k| fetch(addr, "GET", PAGES[(i + k) % PAGES.len()]).status)
                        .collect::<Vec<u16>>()
                })
            })
            .collect();
        clients
            .into_iter()
            .flat_map(|c| c.join().expect("a client thread"))
            .collect()
    });
    let not_ok: Vec<&u16> = statuses.iter().filter(|&&s| s != 200).collect();
    assert!(
        not_ok.is_empty(),
        "{} of {} requests were not 200: {:?}\n{}",
        not_ok.len(),
        statuses.len(),
        &not_ok[..not_ok.len().min(20)],
        serve.log()
    );
    drop(loris);
}
