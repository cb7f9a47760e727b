// What a reader asks for comes first, and only what they typed is found: each class of query of
// issue 22 on a corpus generated here (synthetic documents, interpretations 《X》政策解读 and
// 图解 of some of them, and phrase traps), run through search.js's engine over the files the Rust
// build writes. Each class prints its hit rate.
//
//   full titles, 《X》政策解读 titles  hit@1 ≥ 99 %
//   parts of titles, two words      every result on the first page holds every typed run;
//                                   titles holding the query rank above body-only matches
//   issuers' full names             that issuer's documents first
//   traditional characters          the same results as simplified
//   slips                           near matches (近似结果), the document first (≥ 99 %)
//   absent words                    nothing, not even near matches
//   sort=date                       newest first
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { GazetteSearch } from './lib/search-js.mjs';
import { rustIndex, ROOT } from './lib/rust.mjs';
import { synthDocs, rng } from './lib/synth.mjs';
import { diskEngine, firstIds, readIndexFile } from './lib/engine.mjs';

const random = rng(22);
const pick = (list) => list[Math.floor(random() * list.length)];
const sample = (list, n) => {
  const out = new Set();
  while (out.size < Math.min(n, list.length)) out.add(pick(list));
  return [...out];
};

/** The corpus: synthetic documents, interpretations of some, and phrase traps. */
function corpus() {
  const docs = synthDocs(2000, 22);
  const interpreted = sample(docs, 120);
  interpreted.forEach((x, i) => {
    const graphic = i % 3 === 0;
    docs.push({
      ...x,
      id: `${graphic ? 'tujie' : 'jiedu'}-${i}`,
      title: graphic ? `图解：《${x.title}》` : `《${x.title}》政策解读`,
      doc_number: null,
      body: `为便于理解《${x.title}》，现将有关内容解读如下。${x.body.slice(0, 400)}`,
      summary: null,
      kind: 'policy',
      kind_label: '其他政策文件',
      url: `/documents/${graphic ? 'tujie' : 'jiedu'}-${i}/`,
    });
  });
  const trap = (id, title, body) => ({
    ...docs[0], id, title, body, doc_number: null, summary: null, url: `/documents/${id}/`,
  });
  docs.push(trap('trap-shangwu', '洛阳市电子商务资金管理办法', '电子商务资金管理的规定。'));
  docs.push(trap('trap-fuwu', '洛阳市政府购买服务资金管理办法', '政府购买服务资金管理的规定。'));
  return { docs, interpreted };
}

const { docs, interpreted } = corpus();
const dir = rustIndex(docs, ['--no-unsplit']);
const byId = new Map(docs.map((d) => [d.id, d]));
const fold = GazetteSearch.fold;
const strip = (text) => GazetteSearch.normalized(text);

/** The searchable text of a document, folded, blanks and 《》〈〉“” out, per field. */
function fields(doc) {
  return [doc.title, doc.doc_number || '', doc.issuers.join('\u0001'), `${doc.summary || ''}\u0001${doc.body}`].map(strip);
}

/** The runs of three or more Chinese characters in a query (words apart). */
function runs(query) {
  return query.split(/\s+/).flatMap((word) => strip(word).match(/[\u3400-\u9fff]{3,}/g) || []).map(fold);
}

/** Whether `id` is the document `d` asked for, or one with the very same title (the synthetic
 * titles repeat now and then). */
function asked(id, d) {
  return id === d.id || (id !== undefined && byId.get(id).title === d.title);
}

function report(name, hits, total) {
  console.log(`${name}: ${hits}/${total} (${(100 * hits / total).toFixed(1)} %)`);
  return hits / total;
}

test('a full title finds its document first (hit@1 ≥ 99 %)', async () => {
  const engine = diskEngine(dir);
  const originals = docs.filter((d) => d.id.startsWith('doc-'));
  const queries = sample(originals, 150).concat(interpreted.slice(0, 50));
  let hits = 0;
  for (const d of queries) {
    const { ids } = await firstIds(engine, d.title, 1);
    if (asked(ids[0], d)) hits++;
  }
  // Typed with 书名号 or spaces, the title still counts as equal.
  for (const d of interpreted.slice(0, 20)) {
    const { ids } = await firstIds(engine, `《${d.title}》`, 1);
    if (asked(ids[0], d)) hits++;
  }
  assert.ok(report('full titles, hit@1', hits, queries.length + 20) >= 0.99);
});

test('《X》政策解读 and 图解 titles find the interpretation first (hit@1 ≥ 99 %)', async () => {
  const engine = diskEngine(dir);
  const interpretations = docs.filter((d) => /^(jiedu|tujie)-/.test(d.id));
  let hits = 0;
  for (const d of interpretations) {
    const { ids } = await firstIds(engine, d.title, 1);
    if (asked(ids[0], d)) hits++;
  }
  assert.ok(report('《X》政策解读 / 图解, hit@1', hits, interpretations.length) >= 0.99);
});

test('a part of a title: every result holds the run, titles holding it first', async () => {
  const engine = diskEngine(dir);
  let found = 0;
  let exact = 0;
  let pages = 0;
  const originals = docs.filter((d) => d.id.startsWith('doc-'));
  const queries = sample(originals, 120).map((d) => {
    const title = Array.from(d.title);
    const length = 3 + Math.floor(random() * 6);
    const start = Math.floor(random() * (title.length - length));
    return { source: d.id, query: title.slice(start, start + length).join('') };
  });
  queries.push({ source: 'trap-fuwu', query: '服务资金管理' });
  for (const { source, query } of queries) {
    const { outcome, ids } = await firstIds(engine, query, 10);
    if (outcome.results.length === 0) continue;
    if (outcome.results.some((r) => idOf(r.ordinal) === source)) found++;
    const run = runs(query);
    const hold = ids.every((id) => run.every((r) => fields(byId.get(id)).some((f) => f.includes(r))));
    if (hold) exact++;
    pages++;
    // Tiers: no result whose title lacks the query ranks above one whose title has it.
    const inTitle = ids.map((id) => run.every((r) => strip(byId.get(id).title).includes(r)));
    assert.ok(inTitle.indexOf(false) < 0 || inTitle.lastIndexOf(true) < inTitle.indexOf(false), query);
  }
  report('parts of titles, source document found', found, queries.length);
  assert.equal(report('parts of titles, first pages holding the typed run', exact, pages), 1);
  const trap = await firstIds(engine, '服务资金管理', 10);
  assert.ok(!trap.ids.includes('trap-shangwu'), '服务资金管理 found 电子商务资金管理');
  assert.ok(trap.ids.includes('trap-fuwu'));
  assert.equal(found, queries.length);
});

/** Ordinal → id, read from the document store once. */
let ordinalIds = null;
function idOf(ordinal) {
  if (!ordinalIds) {
    ordinalIds = [];
    const meta = JSON.parse(fs.readFileSync(path.join(dir, 'search/meta.json'), 'utf8'));
    for (let n = 0; n * meta.chunk < meta.docs; n++) {
      readIndexFile(path.join(dir, 'search', meta.layout, `d/${n}.json.gz`)).forEach((r) => ordinalIds.push(r[0]));
    }
  }
  return ordinalIds[ordinal];
}

test('two words of three or more characters: every result holds both', async () => {
  const engine = diskEngine(dir);
  let exact = 0;
  let pages = 0;
  const originals = docs.filter((d) => d.id.startsWith('doc-'));
  for (const d of sample(originals, 60)) {
    // Two words from the body's runs of Chinese characters (not across punctuation).
    const long = d.body.match(/[\u4e00-\u9fff]{5,}/g).map((r) => Array.from(r));
    const word = (n) => {
      const run = pick(long);
      const a = Math.floor(random() * (run.length - Math.min(n, run.length) + 1));
      return run.slice(a, a + n).join('');
    };
    const query = `${word(3)} ${word(4)}`;
    const { outcome, ids: first } = await firstIds(engine, query, 10);
    assert.ok(outcome.results.length > 0, query);
    const run = runs(query);
    if (first.every((id) => run.every((r) => fields(byId.get(id)).some((f) => f.includes(r))))) exact++;
    pages++;
  }
  assert.equal(report('two words, first pages holding both', exact, pages), 1);
});

test("an issuer's full name ranks that issuer's documents first", async () => {
  const engine = diskEngine(dir);
  const meta = await engine.meta();
  let hits = 0;
  for (const issuer of meta.facets.issuer) {
    const { ids: first } = await firstIds(engine, issuer.value, 10);
    const expected = Math.min(10, issuer.count);
    if (first.slice(0, expected).every((id) => byId.get(id).issuers.includes(issuer.value))) hits++;
  }
  assert.equal(report("issuers' full names, first page all theirs", hits, meta.facets.issuer.length), 1);
});

/** Simplified → one traditional form, from the shipped table (the reverse of the fold). */
function traditional(text) {
  const table = Array.from(fs.readFileSync(path.join(ROOT, 'themes/default/static/assets/search-t2s.js'), 'utf8')
    .match(/var GazetteT2S = '([^']*)'/)[1]);
  const back = new Map();
  for (let i = 0; i < table.length; i += 2) if (!back.has(table[i + 1])) back.set(table[i + 1], table[i]);
  return Array.from(text).map((c) => back.get(c) || c).join('');
}

test('traditional characters find what simplified ones find', async () => {
  const engine = diskEngine(dir);
  const originals = docs.filter((d) => d.id.startsWith('doc-'));
  let hits = 0;
  let total = 0;
  for (const d of sample(originals, 100)) {
    const query = traditional(d.title);
    if (query === d.title) continue;
    total++;
    const { ids: first } = await firstIds(engine, query, 1);
    if (asked(first[0], d)) hits++;
  }
  for (const query of ['失業保險工作', '信訪局關於修改']) {
    const typed = await engine.search(query, {});
    const simplified = await engine.search(fold(query), {});
    assert.deepEqual(typed.results, simplified.results, query);
  }
  assert.ok(report('traditional full titles, hit@1', hits, total) >= 0.99);
});

test('a slip in a title gives near matches, labelled, with the document first', async () => {
  const engine = diskEngine(dir);
  const originals = docs.filter((d) => d.id.startsWith('doc-'));
  let hits = 0;
  let total = 0;
  for (const d of sample(originals, 80)) {
    const title = Array.from(d.title);
    const at = 8 + Math.floor(random() * (title.length - 10));
    const slipped = title.slice();
    slipped[at] = '里';
    if (slipped[at] === title[at]) continue;
    const query = slipped.join('');
    total++;
    const { outcome, ids: first } = await firstIds(engine, query, 1);
    if (outcome.results.length && !outcome.near) continue;  // the slip made another real title
    if (outcome.near && asked(first[0], d)) hits++;
  }
  assert.ok(report('slips, near matches with the document first', hits, total) >= 0.99);
});

test('absent words find nothing, not even near matches', async () => {
  const engine = diskEngine(dir);
  for (const query of ['比特币', '比特币交易平台', '区块链比特币挖矿', 'cryptocurrency blockchain']) {
    const outcome = await engine.search(query, {});
    assert.deepEqual([outcome.results.length, outcome.near], [0, false], query);
  }
  console.log('absent words: 4/4 empty');
});

test('sort by date lists the same results newest first', async () => {
  const engine = diskEngine(dir);
  const relevance = await engine.search('管理 办法', {});
  const latest = await engine.search('管理 办法', {}, { sort: 'date' });
  assert.deepEqual(latest.results.map((r) => r.ordinal).sort((a, b) => a - b),
    relevance.results.map((r) => r.ordinal).sort((a, b) => a - b));
  const records = await engine.records(latest.results.slice(0, 20).map((r) => r.ordinal));
  const dates = records.map((r) => r.published);
  assert.deepEqual(dates, dates.slice().sort().reverse());
  assert.notDeepEqual(relevance.results.slice(0, 20), latest.results.slice(0, 20));
});

test('a long title looks up every other bigram', async () => {
  const engine = diskEngine(dir);
  const d = docs.filter((x) => x.id.startsWith('jiedu-')).sort((a, b) => b.title.length - a.title.length)[0];
  const plan = engine.plan(d.title);
  await firstIds(engine, d.title, 1);
  const termShards = new Set(engine.fetched.map(([p]) => p).filter((p) => /\/t\/\d+\.json\.gz$/.test(p)));
  console.log(`a ${Array.from(d.title).length}-character title: ${plan.all.length} terms, ` +
    `${plan.terms.length} looked up, ${termShards.size} term shards`);
  assert.ok(plan.terms.length <= Math.ceil(plan.all.length / 2) + 2, `${plan.terms.length} of ${plan.all.length}`);
});

test('a page fetches the length classes of its rarest word only, a few exact lengths, and none when nothing holds every word', async () => {
  // Format 6 (shards.rs): the term shards say which documents hold every word; the classes of
  // their body lengths are all in the length shard entry of the rarest word; the exact lengths
  // come from the length chunks of the documents that can reach the page.
  const meta = await diskEngine(dir).meta();
  const lengthShard = (term) => `/search/${meta.layout}/l/${GazetteSearch.termHash(term) % meta.bodyLengths}.json.gz`;
  let checked = 0;
  for (const query of ['环境 保护', '财政 资金', '垃圾 分类', '养老 保险', '营商 环境']) {
    const engine = diskEngine(dir);
    const { terms, count } = await engine.search(query, {}, { page: 10 });
    if (count <= 10) continue;
    const holders = (term) => {
      const shard = readIndexFile(path.join(dir, `search/${meta.layout}/t/${GazetteSearch.termHash(term) % meta.shards}.json.gz`));
      const entry = shard.find((e) => e[0] === term);
      return new Set(entry.slice(1).flatMap((f, i) => GazetteSearch.decodePostings(f, i).map((p) => p.ordinal))).size;
    };
    const rarest = terms.slice().sort((a, b) => holders(a) - holders(b))[0];
    const fetched = engine.fetched.map(([p]) => p);
    assert.deepEqual(fetched.filter((p) => p.includes('/l/')), [lengthShard(rarest)], query);
    const chunks = fetched.filter((p) => p.includes('/n/')).length;
    assert.ok(chunks > 0 && chunks < count / 2, `${query}: ${chunks} length chunks for ${count} results`);
    checked++;
  }
  assert.ok(checked >= 3, `${checked} queries found more than a page`);
  const engine = diskEngine(dir);
  const { results } = await engine.search('环境 不存在的词', {});
  assert.equal(results.length, 0);
  assert.deepEqual(engine.fetched.map(([p]) => p).filter((p) => /\/[ln]\//.test(p)), []);
});
