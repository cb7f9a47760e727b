// A page at a time (format 6): the engine resolves only the results it shows, from bounds on
// lunr's scores (body length classes) and the exact body lengths of the documents that can reach
// the page. Each page's order and scores must still be lunr.Builder's (the real lunr 2.3.9 over
// the very terms the build indexed), page 1, 2 and 3 of queries with thousands of candidates, and
// the engine must fetch far fewer exact lengths than it has candidates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { lunr, GazetteSearch, tokenize } from './lib/search-js.mjs';
import { rustIndex } from './lib/rust.mjs';
import { synthDocs, COMMON_WORDS } from './lib/synth.mjs';
import { diskEngine, readIndexFile, builderIndex } from './lib/engine.mjs';

const PAGE = 10;
const docs = synthDocs(3000, 31);
const dir = rustIndex(docs);


async function ids() {
  const meta = await diskEngine(dir).meta();
  const out = [];
  for (let n = 0; n * meta.chunk < meta.docs; n++) {
    readIndexFile(path.join(dir, 'search', meta.layout, `d/${n}.json.gz`)).forEach((r) => out.push(r[0]));
  }
  return out;
}

/** Two-word queries of common words (thousands of candidates) and single common words. */
const QUERIES = [];
for (let i = 0; i + 1 < 40; i += 2) QUERIES.push(`${COMMON_WORDS[i]} ${COMMON_WORDS[i + 1]}`);
QUERIES.push('管理', '工作', '环境 保护', '财政 资金', '土地 审批', '行政 处罚', 'investment');

test('pages 1 to 3 equal lunr.Builder\'s order and scores, fetching the exact lengths of few documents', async () => {
  const reference = builderIndex(dir);
  const byOrdinal = await ids();
  const meta = await diskEngine(dir).meta();
  let pages = 0;
  let candidates = 0;
  let fetchedLengths = 0;
  for (const query of QUERIES) {
    const terms = [...new Set(tokenize(query))];
    const expected = GazetteSearch.queryIndex(lunr, reference, terms);
    const engine = diskEngine(dir);
    const outcome = await engine.search(query, {}, { ranking: 'lunr', page: PAGE });
    assert.equal(outcome.count, expected.length, query);
    assert.equal(outcome.results.length, Math.min(PAGE, expected.length), query);
    const chunks = () => engine.fetched.filter(([p]) => p.includes('/n/')).length;
    if (expected.length > 10 * PAGE) {
      candidates += expected.length;
      fetchedLengths += chunks();
      // All the exact lengths would be every chunk holding a candidate: nearly all of them.
      assert.ok(chunks() <= expected.length / 10 && chunks() * 3 < Math.ceil(meta.docs / meta.lengthChunk),
        `${query}: ${chunks()} length chunks for ${expected.length} candidates`);
    }
    for (const k of [PAGE, 2 * PAGE, 3 * PAGE]) {
      const got = await outcome.upTo(k);
      assert.equal(got, outcome.results);
      assert.equal(got.length, Math.min(k, expected.length), query);
      got.forEach((r, i) => {
        assert.equal(byOrdinal[r.ordinal], expected[i].ref, `${query}: result ${i + 1}`);
        assert.ok(Math.abs(r.score - expected[i].score) <= 1e-6, `${query}: result ${i + 1} scores ${r.score}, lunr ${expected[i].score}`);
      });
      pages++;
    }
  }
  console.log(`${QUERIES.length} queries, ${pages} pages equal lunr.Builder's; the first page of the ` +
    `queries with over ${10 * PAGE} results read ${fetchedLengths} length chunks ` +
    `(${meta.lengthChunk} documents each) for ${candidates} candidates`);
  assert.ok(candidates > 10000, `${candidates} candidates`);
});

test('the ranked results (tiers, phrases, filters, near matches) are the same a page at a time', async () => {
  const queries = QUERIES.slice(0, 12).concat([
    docs[5].title, docs[17].title.slice(3, 12), docs[40].issuers[0], '政务公开实施',
    docs[9].title.replace(/.(.)$/, '某$1'),  // a slip: near matches
  ]);
  const filters = [{}, { status: 'in_force' }, { kind: 'normative', year: '2019' }];
  let compared = 0;
  for (const query of queries) {
    for (const f of filters) {
      const all = await diskEngine(dir).search(query, f);
      const paged = await diskEngine(dir).search(query, f, { page: PAGE });
      assert.equal(paged.count, all.results.length, query);
      assert.equal(paged.near, all.near, query);
      for (const k of [PAGE, 2 * PAGE, 3 * PAGE]) {
        assert.deepEqual(await paged.upTo(k), all.results.slice(0, k), `${query} ${JSON.stringify(f)} ${k}`);
        compared++;
      }
      const byDate = await diskEngine(dir).search(query, f, { page: PAGE, sort: 'date' });
      assert.deepEqual(byDate.results.map((r) => r.ordinal), all.results.map((r) => r.ordinal).sort((a, b) => a - b));
    }
  }
  console.log(`${compared} pages of ${queries.length} queries × ${filters.length} filters the same as resolved at once`);
});

test('contenders: only what can reach the page', () => {
  const items = [0, 1, 2, 3, 4].map((o) => ({ ordinal: o, tier: o === 4 ? 0 : 3 }));
  const bounds = new Map([[0, { lo: 5, hi: 6 }], [1, { lo: 1, hi: 5.5 }], [2, { lo: 1, hi: 4.9 }],
    [3, { lo: 4, hi: 4.5 }], [4, { lo: 0, hi: 0 }]]);
  const tier = (a, b) => a.tier - b.tier;
  // The first two: item 4 (a better tier) and 0 (the best lower bound); 1 may beat 0; 2 and 3 cannot.
  assert.deepEqual(GazetteSearch.contenders(items, bounds, tier, 2).map((i) => i.ordinal), [0, 1, 4]);
  // The first three: the third best lower bound is 3's (4); 2 reaches 4.9, 1 5.5.
  assert.deepEqual(GazetteSearch.contenders(items, bounds, tier, 3).map((i) => i.ordinal), [0, 1, 2, 3, 4]);
  assert.deepEqual(GazetteSearch.contenders(items, bounds, tier, 9).length, 5);
});
