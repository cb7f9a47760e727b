#!/usr/bin/env node
// Measures what typical two-word queries download from a large synthetic archive.
//
//   node tests/js/lib/measure.mjs 10000 [100000 …]
//   node tests/js/lib/measure.mjs --site DIR [--site DIR …]
//
// The second form measures the search of sites gazette has already built (DIR is the output
// folder, e.g. a corpus of examples/gen_corpus built with `gazette build`).
//
// For each size: generates SearchDocs (synth.mjs), builds the search files with the release
// build of examples/search_dump.rs (SEARCH_DUMP_BIN to use another), then runs each query through
// search.js's engine as the page does (manifest, term, length and position shards, the length
// chunks of the first page's contenders, document store for the first page of 10 results) and
// reports the bytes on the wire (the files as stored: gzip, but for
// the manifest) and inflated. No timing is measured.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { synthDocs } from './synth.mjs';
import { diskEngine, inflate } from './engine.mjs';
import { ROOT } from './rust.mjs';

const QUERIES = ['环境 保护', '政务公开 实施', '财政 资金', '养老 保险', '营商 环境', '垃圾 分类',
  '交通 安全', '教育 补贴', '土地 审批', '疫情 防控', '行政 处罚', '信用 担保'];
const PAGE = 10;
/** A long title (the last row, outside the median): its lookups, not only two words'. */
const LONG = '洛阳市人民政府办公室关于进一步加强和规范政府购买服务资金管理工作的实施意见';

function dumpBinary() {
  if (process.env.SEARCH_DUMP_BIN) return process.env.SEARCH_DUMP_BIN;
  execFileSync('cargo', ['build', '--quiet', '--release', '--example', 'search_dump'], { cwd: ROOT, stdio: 'inherit' });
  return path.join(process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target'), 'release/examples/search_dump');
}

function treeSize(dir) {
  let bytes = 0, files = 0;
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const s = fs.statSync(path.join(dir, f));
    if (s.isFile()) { bytes += s.size; files++; }
  }
  return { bytes, files };
}

const kb = (n) => (n / 1024).toFixed(1) + ' KiB';
const median = (xs) => { const s = xs.slice().sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

async function measure(count, bin) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `gazette-measure-${count}-`));
  const docsFile = path.join(dir, 'docs.json');
  const docs = synthDocs(count, 2026);
  const chars = docs.reduce((n, d) => n + d.body.length, 0);
  fs.writeFileSync(docsFile, JSON.stringify(docs));
  execFileSync(bin, ['index', docsFile, path.join(dir, 'site'), '--no-unsplit'], { stdio: 'inherit' });
  await report(path.join(dir, 'site'), `${count} documents (${(chars / count).toFixed(0)} body characters on average)`);
  fs.rmSync(dir, { recursive: true, force: true });
}

async function report(root, title) {
  const meta = JSON.parse(fs.readFileSync(path.join(root, 'search/meta.json'), 'utf8'));
  const total = treeSize(path.join(root, 'search'));
  console.log(`\n${title}: ` +
    `${total.files} files, ${(total.bytes / 1048576).toFixed(1)} MiB; ${meta.shards} term shards, ` +
    `document chunks of ${meta.chunk}`);
  console.log('query | terms | results | files | manifest+shards | doc store (first 10) | on the wire | inflated');
  const rows = [];
  for (const q of QUERIES.concat([LONG])) {
    const engine = diskEngine(root);
    const { terms, count, results } = await engine.search(q, {}, { page: PAGE });
    const index = engine.fetched.length;
    await engine.records(results.slice(0, PAGE).map((r) => r.ordinal));
    const sizes = (list) => list.reduce((n, [, b]) => n + b, 0);
    const inflated = (list) => list.reduce((n, [p]) => n + inflate(fs.readFileSync(path.join(root, p))).length, 0);
    const row = {
      q, terms: terms.length, results: count, files: engine.fetched.length,
      index: sizes(engine.fetched.slice(0, index)), store: sizes(engine.fetched.slice(index)),
      wire: sizes(engine.fetched), inflated: inflated(engine.fetched),
    };
    if (q !== LONG) rows.push(row);
    console.log(`${q} | ${row.terms} | ${row.results} | ${row.files} | ${kb(row.index)} | ${kb(row.store)} | ` +
      `${kb(row.wire)} | ${kb(row.inflated)}`);
  }
  console.log(`median of the ${rows.length} two-word queries: ${kb(median(rows.map((r) => r.wire)))} on the wire, ` +
    `${kb(median(rows.map((r) => r.inflated)))} inflated; max ${kb(Math.max(...rows.map((r) => r.wire)))} on the wire`);
}

const args = process.argv.slice(2);
const sites = args.flatMap((a, i) => (args[i - 1] === '--site' ? [a] : []));
if (sites.length) {
  for (const site of sites) {
    const meta = JSON.parse(fs.readFileSync(path.join(site, 'search/meta.json'), 'utf8'));
    await report(site, `${site}: ${meta.docs} documents`);
  }
} else {
  const sizes = args.map(Number).filter((n) => n > 0);
  const bin = dumpBinary();
  for (const n of sizes.length ? sizes : [10000]) await measure(n, bin);
}
