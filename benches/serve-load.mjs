// `gazette serve` under load (issue 16): N clients fetching pages as fast as they can, then the
// same beside a slow-loris, with each request's latency, the statuses and the throughput.
//
//   node benches/serve-load.mjs --root SITE [--clients 200] [--seconds 30] [--loris 300]
//                               [--gazette target/release/gazette] [--client http|raw]
//
// SITE is a site to serve (e.g. the 10 000-document corpus of `examples/gen_corpus`). The
// script starts `gazette serve --port 0` on it, waits for the first build, reads the page list
// from the sitemap, and runs two phases of `--seconds` each:
//   1. `--clients` clients, each in a loop: a new connection, GET a random page, read it whole.
//   2. the same, while `--loris` connections send half a request head and then one header line
//      every 4 seconds (a slow-loris; each one the server closes is opened again).
// Printed per phase: requests, requests per second, statuses, latency p50/p90/p99/max (ms),
// the CPU seconds the server and the client used, and the load average at the end.
// Node's own event loop is the client: on a 2-core machine the client's CPU is part of what
// the figures measure, so they are an upper bound on the server's latency. `--client http`
// (the default) uses Node's HTTP client, `--client raw` a bare socket that costs less.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadavg } from 'node:os';
import http from 'node:http';
import net from 'node:net';
import readline from 'node:readline';

function args() {
  const a = { clients: 200, seconds: 30, loris: 300, gazette: 'target/release/gazette', client: 'http' };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, '');
    if (!(key in a) && key !== 'root') throw new Error(`unknown option ${argv[i]}`);
    a[key] = ['clients', 'seconds', 'loris'].includes(key) ? Number(argv[i + 1]) : argv[i + 1];
  }
  if (!a.root) throw new Error('usage: serve-load.mjs --root SITE [--clients N] [--seconds S] [--loris N] [--gazette BIN] [--client http|raw]');
  if (!['http', 'raw'].includes(a.client)) throw new Error('--client is http or raw');
  return a;
}

// The same request on a bare socket: the server closes the connection after its answer, so
// the answer is everything read until then; only the status line is parsed. Node's HTTP
// client costs about as much CPU per request as the server itself, on the same two cores.
function getRaw(port, path) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
    let first = null;
    let bytes = 0;
    const s = net.connect(port, '127.0.0.1', () => {
      s.end(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    });
    s.on('data', (chunk) => {
      if (first === null) first = chunk.subarray(0, 16).toString('latin1');
      bytes += chunk.length;
    });
    s.on('end', () => {
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(first || '');
      resolve({ status: m ? Number(m[1]) : 'bad-reply', ms: ms(), bytes });
    });
    s.on('error', (e) => resolve({ status: e.code || 'error', ms: ms() }));
  });
}

function get(port, path) {
  return new Promise((resolve) => {
    const started = process.hrtime.bigint();
    const req = http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve({ status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 }));
      res.on('error', () => resolve({ status: 'error', ms: Number(process.hrtime.bigint() - started) / 1e6 }));
    });
    req.on('error', (e) => resolve({ status: e.code || 'error', ms: Number(process.hrtime.bigint() - started) / 1e6 }));
  });
}

async function fetchText(port, path) {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    }).on('error', reject);
  });
}

function startServe(a) {
  const child = spawn(a.gazette, ['serve', '--root', a.root, '--port', '0', '--as-of', '2026-06-30'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  child.stderr.on('data', () => {});
  return new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', (line) => {
      const port = Number(new URL(line.trim()).port);
      resolve({ child, port });
    });
    child.once('exit', (code) => reject(new Error(`gazette serve exited (${code})`)));
  });
}

function loris(port, n, stop) {
  let opened = 0;
  const sockets = new Set();
  const open = () => {
    if (stop.done) return;
    opened += 1;
    const s = net.connect(port, '127.0.0.1', () => s.write('GET / HTTP/1.1\r\nHost: x\r\n'));
    sockets.add(s);
    const tick = setInterval(() => s.write('X-Loris: 1\r\n'), 4000);
    s.on('error', () => {});
    s.on('close', () => {
      clearInterval(tick);
      sockets.delete(s);
      open();
    });
  };
  for (let i = 0; i < n; i += 1) open();
  return {
    opened: () => opened,
    close: () => { for (const s of sockets) s.destroy(); },
  };
}

// CPU seconds (user + system) the server has used so far, from /proc (Linux); NaN elsewhere.
function serverCpu(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return NaN;
  }
}

function clientCpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function phase(name, a, server, pages, withLoris) {
  const { port } = server;
  const stop = { done: false };
  const slow = withLoris ? loris(port, a.loris, stop) : null;
  if (slow) await new Promise((r) => setTimeout(r, 2000));
  const results = [];
  const until = Date.now() + a.seconds * 1000;
  const client = async () => {
    while (Date.now() < until) {
      const page = pages[Math.floor(Math.random() * pages.length)];
      results.push(await (a.client === 'raw' ? getRaw(port, page) : get(port, page)));
    }
  };
  const started = Date.now();
  const cpu0 = [serverCpu(server.child.pid), clientCpu()];
  await Promise.all(Array.from({ length: a.clients }, client));
  const elapsed = (Date.now() - started) / 1000;
  const cpu = [serverCpu(server.child.pid) - cpu0[0], clientCpu() - cpu0[1]];
  stop.done = true;
  if (slow) slow.close();
  const statuses = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] || 0) + 1;
  const ms = results.map((r) => r.ms).sort((x, y) => x - y);
  const f = (x) => x.toFixed(1);
  console.log(`${name}: ${results.length} requests in ${elapsed.toFixed(1)} s (${(results.length / elapsed).toFixed(0)}/s), `
    + `statuses ${JSON.stringify(statuses)}, latency ms p50 ${f(percentile(ms, 50))} p90 ${f(percentile(ms, 90))} `
    + `p99 ${f(percentile(ms, 99))} max ${f(ms[ms.length - 1])}`
    + (slow ? `, slow-loris connections opened ${slow.opened()}` : '')
    + `; CPU s: server ${cpu[0].toFixed(1)}, client ${cpu[1].toFixed(1)}; load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

const a = args();
const server = await startServe(a);
const { child, port } = server;
try {
  const t0 = Date.now();
  for (;;) {
    const r = await fetchText(port, '/').catch(() => ({ status: 0 }));
    if (r.status === 200) break;
    await new Promise((res) => setTimeout(res, 500));
  }
  console.log(`first build served after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  // The server removes the build folders a previous run left (12 000 files each) in the
  // background: wait for that, so it is not charged to the first phase.
  const serveDir = path.join(a.root, '.gazette-cache', 'serve');
  const folders = () => readdirSync(serveDir).filter((n) => /^(site|quick)-/.test(n)).length;
  for (let i = 0; i < 240 && folders() > 1; i += 1) await new Promise((res) => setTimeout(res, 500));
  const sitemap = await fetchText(port, '/sitemap.xml');
  const pages = [...sitemap.body.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]).pathname);
  console.log(`${pages.length} pages; ${a.clients} clients (${a.client}), ${a.seconds} s per phase, slow-loris ${a.loris}`);
  await phase('clients', a, server, pages, false);
  await phase('clients + slow-loris', a, server, pages, true);
} finally {
  child.kill();
}
