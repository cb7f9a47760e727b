#!/usr/bin/env node
// Save-to-visible latency of `gazette serve`: how long after an editor saves a document its
// page, fetched from the server, shows the change.
//
//   node benches/serve-latency.mjs --root SITE [--bin target/release/gazette] [--runs 7]
//
// Starts `gazette serve --port 0` on SITE, waits for the first build, then, RUNS times: appends a
// unique line to one document's Markdown file, and fetches that document's page in a tight loop
// until the line is there. Prints each run and the median, and what the server itself reported
// (its quick-preview and full-rebuild lines). The file is restored at the end. SITE is changed
// while this runs: use a copy (e.g. a corpus of examples/gen_corpus).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const root = opt('--root');
const bin = opt('--bin', path.resolve('target/release/gazette'));
const runs = Number(opt('--runs', '7'));
if (!root) {
  console.error('usage: node benches/serve-latency.mjs --root SITE [--bin BIN] [--runs N]');
  process.exit(2);
}

// A public document file: the first `.md` under content/documents whose front matter has no
// `disclosure` other than public. Its id is its `id:` or, as the contract says, its file name.
function pickDocument() {
  const dir = path.join(root, 'content/documents');
  const files = fs.readdirSync(dir, { recursive: true }).filter((f) => f.endsWith('.md')).sort();
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), 'utf8');
    const id = /^id:\s*["']?([a-z0-9-]+)/m.exec(text)?.[1] ?? path.basename(f, '.md');
    if (id && !/^disclosure:\s*(on_request|withheld)/m.test(text)) return { file: path.join(dir, f), id, text };
  }
  throw new Error('no public document found');
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = spawn(bin, ['serve', '--root', root, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
const log = [];
server.stderr.on('data', (d) => log.push(...d.toString().split('\n').filter((l) => /毫秒/.test(l))));
const url = await new Promise((resolve, reject) => {
  let out = '';
  server.stdout.on('data', (d) => {
    out += d;
    const m = /http:\/\/\S+\//.exec(out);
    if (m) resolve(m[0]);
  });
  server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
});
const doc = pickDocument();
const page = `${url}documents/${doc.id}/`;
console.log(`serving ${root} at ${url}; editing ${path.relative(root, doc.file)} (${page})`);

const times = [];
try {
  for (let r = 1; r <= runs; r++) {
    // Let the previous run's full rebuild finish, so each save starts from an idle server.
    await sleep(Number(opt('--pause', '8000')));
    const mark = `测量标记${Date.now()}x${r}`;
    const t0 = process.hrtime.bigint();
    fs.writeFileSync(doc.file, `${doc.text}\n${mark}\n`);
    for (;;) {
      const body = await fetch(page).then((res) => res.text()).catch(() => '');
      if (body.includes(mark)) break;
      if (process.hrtime.bigint() - t0 > 120_000_000_000n) throw new Error('no change after 120 s');
    }
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    times.push(ms);
    console.log(`run ${r}: ${ms.toFixed(0)} ms from save to the changed page`);
  }
  console.log(`median: ${median(times).toFixed(0)} ms over ${times.length} runs`);
  await sleep(Number(opt('--pause', '8000')));
  console.log('the server said:\n  ' + log.slice(-2 * runs).join('\n  '));
} finally {
  fs.writeFileSync(doc.file, doc.text);
  server.kill('SIGINT');
}
