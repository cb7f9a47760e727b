// The index files that the Rust build writes, read with the real lunr.js 2.3.9: every file loads,
// the field vectors equal lunr.Builder's from the same tokens (within 1e-6), the fixture's
// expected results come first, and the sharded index gives the same results as the unsplit one
// (lunr's results: the ranking tiers and phrase checks on top are tested in search-ranking).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { lunr, GazetteSearch, tokenize } from './lib/search-js.mjs';
import { rustIndex, readJson } from './lib/rust.mjs';
import { fixtureDocs } from './lib/fixture.mjs';
import { synthDocs } from './lib/synth.mjs';
import { diskEngine, unsplitSearch, readIndexFile, builderIndex, FIELDS } from './lib/engine.mjs';

const fixture = fixtureDocs();
const fixtureDir = rustIndex(fixture);
const manyShardsDir = rustIndex(fixture, ['--target-shard-bytes', '300', '--doc-chunk', '3']);
const synth = synthDocs(400, 7);
const synthDir = rustIndex(synth, ['--target-shard-bytes', '4096']);


function filesUnder(dir) {
  return fs.readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile());
}

for (const [name, dir, docs] of [['fixture', fixtureDir, fixture], ['fixture in many shards', manyShardsDir, fixture],
  ['synthetic', synthDir, synth]]) {
  test(`every search file of the ${name} index loads and is consistent`, () => {
    const meta = readJson(path.join(dir, 'search/meta.json'));
    assert.equal(meta.docs, docs.length);
    assert.equal(meta.lunr, lunr.version);
    assert.equal(meta.format, 6);
    const versioned = path.join(dir, 'search', meta.layout);
    const files = filesUnder(versioned).map((f) => path.relative(versioned, f)).sort();
    assert.deepEqual(fs.readdirSync(path.join(dir, 'search')).sort(), [meta.layout, 'meta.json']);
    const tokens = readJson(path.join(dir, 'tokens.json'));
    assert.deepEqual(meta.lengths, Object.keys(FIELDS).map((f) => tokens.reduce((n, d) => n + d[f].length, 0)));
    assert.deepEqual(meta.boosts, Object.values(FIELDS));
    let terms = 0;
    const postingCounts = new Map();
    const rawEntries = new Map();
    for (let n = 0; n < meta.shards; n++) {
      const shard = readIndexFile(path.join(versioned, `t/${n}.json.gz`));
      shard.forEach((entry, i) => {
        assert.equal(GazetteSearch.termHash(entry[0]) % meta.shards, n, entry[0]);
        if (i > 0) assert.ok(shard[i - 1][0] < entry[0], 'JavaScript string order');
        assert.equal(entry.length, 1 + meta.fields.length);
        const decoded = entry.slice(1).map((field, f) => {
          const postings = GazetteSearch.decodePostings(field, f);
          postings.forEach((p) => {
            assert.ok(p.ordinal < meta.docs);
            assert.ok(p.tf > 0 && (f === 3 ? p.n === undefined : p.tf <= p.n), entry[0]);
            if (f === 0) assert.ok(p.positions.length === p.tf && p.positions.every((at) => at < p.length), entry[0]);
          });
          return postings;
        });
        postingCounts.set(entry[0], decoded);
        rawEntries.set(entry[0], entry);
      });
      terms += shard.length;
    }
    // Position shards: an entry per term, a position list per posting of its other fields.
    let positioned = 0;
    for (let n = 0; n < meta.positions; n++) {
      readIndexFile(path.join(versioned, `p/${n}.json.gz`)).forEach((entry) => {
        assert.equal(GazetteSearch.termHash(entry[0]) % meta.positions, n, entry[0]);
        const decoded = postingCounts.get(entry[0]);
        entry.slice(1).forEach((field, f) => {
          const lists = GazetteSearch.decodePositions(field, decoded[f + 1]);
          assert.equal(lists.length, decoded[f + 1].length, entry[0]);
          lists.forEach((l, k) => assert.equal(l.length, decoded[f + 1][k].tf, entry[0]));
          assert.equal(lists.reduce((n, l) => n + l.length, 0), GazetteSearch.decodeVarints(field).length, entry[0]);
        });
        positioned++;
      });
    }
    assert.equal(positioned, terms);
    // Length shards: an entry per term, the class of the body length of each document holding
    // it (in any field, ascending); length chunks: every body length by ordinal.
    const lengths = [];
    for (let n = 0; n * meta.lengthChunk < meta.docs; n++) {
      const chunk = GazetteSearch.decodeLengths(readIndexFile(path.join(versioned, `n/${n}.json.gz`)));
      assert.equal(chunk.length, Math.min(meta.lengthChunk, meta.docs - n * meta.lengthChunk));
      lengths.push(...chunk);
    }
    assert.deepEqual(lengths, tokens.map((d) => d.body.length));
    let lengthened = 0;
    for (let n = 0; n < meta.bodyLengths; n++) {
      const shard = readIndexFile(path.join(versioned, `l/${n}.json.gz`));
      shard.forEach((entry, i) => {
        assert.equal(GazetteSearch.termHash(entry[0]) % meta.bodyLengths, n, entry[0]);
        if (i > 0) assert.ok(shard[i - 1][0] < entry[0], 'JavaScript string order');
        const fields = postingCounts.get(entry[0]);
        const holders = [...new Set(fields.flat().map((p) => p.ordinal))].sort((a, b) => a - b);
        const classes = GazetteSearch.bodyClasses([rawEntries.get(entry[0])], [entry]);
        assert.equal(entry[1].length, holders.length, entry[0]);
        assert.deepEqual([...classes.keys()], holders, entry[0]);
        holders.forEach((o) => {
          const [least, most] = GazetteSearch.classRange(classes.get(o));
          assert.ok(least <= lengths[o] && lengths[o] <= most, `${entry[0]}: ${lengths[o]} in [${least}, ${most}]`);
        });
        lengthened++;
      });
    }
    assert.equal(lengthened, terms);
    const unsplit = readJson(path.join(dir, 'unsplit.json'));
    assert.equal(terms, unsplit.invertedIndex.length);
    const ids = [];
    for (let n = 0; n * meta.chunk < meta.docs; n++) {
      readIndexFile(path.join(versioned, `d/${n}.json.gz`)).forEach((r) => ids.push(r[0]));
    }
    assert.deepEqual(ids.slice().sort(), docs.map((d) => d.id).sort());
    const byId = new Map(docs.map((d) => [d.id, d]));
    for (const facet of ['status', 'kind', 'issuer']) {
      for (const value of meta.facets[facet]) {
        const has = GazetteSearch.decodeSet(readIndexFile(path.join(versioned, value.file)));
        const members = ids.filter((id, o) => has(o));
        assert.equal(members.length, value.count);
        for (const id of members) {
          const d = byId.get(id);
          const values = facet === 'issuer' ? d.issuers : [d[facet]];
          assert.ok(values.includes(value.value), `${id} ${facet}=${value.value}`);
        }
      }
    }
    for (const year of meta.facets.year) {
      ids.slice(year.from, year.to).forEach((id) => assert.equal(byId.get(id).year, year.value));
    }
    assert.equal(files.length, meta.shards + meta.positions + meta.bodyLengths + Math.ceil(meta.docs / meta.chunk) +
      Math.ceil(meta.docs / meta.lengthChunk) +
      meta.facets.status.length + meta.facets.kind.length + meta.facets.issuer.length);
  });

  test(`the unsplit ${name} index loads in lunr and its field vectors equal lunr.Builder's`, () => {
    const serialized = readJson(path.join(dir, 'unsplit.json'));
    lunr.Index.load(serialized);
    const built = builderIndex(dir).toJSON();

    const termOf = (index) => new Map(index.invertedIndex.map(([term, posting]) => [posting._index, term]));
    const asMaps = (index) => {
      const names = termOf(index);
      return new Map(index.fieldVectors.map(([ref, elements]) => {
        const weights = new Map();
        for (let i = 0; i < elements.length; i += 2) weights.set(names.get(elements[i]), elements[i + 1]);
        return [ref, weights];
      }));
    };
    const ours = asMaps(serialized);
    const theirs = asMaps(built);
    assert.equal(ours.size, theirs.size);
    let compared = 0;
    for (const [ref, weights] of theirs) {
      const mine = ours.get(ref);
      assert.ok(mine, ref);
      assert.deepEqual([...mine.keys()].sort(), [...weights.keys()].sort(), ref);
      for (const [term, w] of weights) {
        assert.ok(Math.abs(mine.get(term) - w) <= 1e-6, `${ref} ${term}: ${mine.get(term)} vs ${w}`);
        compared++;
      }
    }
    assert.ok(compared > 100);
    // The same documents per term and field, in the same order.
    const postings = (index) => new Map(index.invertedIndex.map(([term, p]) =>
      [term, Object.keys(FIELDS).map((f) => Object.keys(p[f]).join(' '))]));
    const a = postings(serialized);
    for (const [term, fields] of postings(built)) {
      assert.deepEqual(fields.map((f) => f.split(' ').sort().join(' ')), a.get(term).map((f) => f.split(' ').sort().join(' ')), term);
    }
  });

  test(`the browser's weights and scores for the ${name} index equal lunr.Builder's`, async () => {
    const reference = builderIndex(dir);
    const built = reference.toJSON();

    // Every term shard merged as the page merges the ones a query needs: the same weights.
    const meta = readJson(path.join(dir, 'search/meta.json'));
    const versioned = path.join(dir, 'search', meta.layout);
    const ids = [];
    for (let n = 0; n * meta.chunk < meta.docs; n++) {
      readIndexFile(path.join(versioned, `d/${n}.json.gz`)).forEach((r) => ids.push(r[0]));
    }
    const entries = [];
    for (let n = 0; n < meta.shards; n++) entries.push(...readIndexFile(path.join(versioned, `t/${n}.json.gz`)));
    const lengths = new Map();
    for (let n = 0; n * meta.lengthChunk < meta.docs; n++) {
      GazetteSearch.decodeLengths(readIndexFile(path.join(versioned, `n/${n}.json.gz`)))
        .forEach((length, k) => lengths.set(n * meta.lengthChunk + k, length));
    }
    const merged = GazetteSearch.mergeEntries(lunr, meta, entries, lengths).serialized;
    const weightsOf = (index, refOf) => {
      const names = new Map(index.invertedIndex.map(([term, posting]) => [posting._index, term]));
      const out = new Map();
      for (const [key, elements] of index.fieldVectors) {
        const [field, ref] = key.split('/');
        for (let i = 0; i < elements.length; i += 2) out.set(`${field}/${refOf(ref)}/${names.get(elements[i])}`, elements[i + 1]);
      }
      return out;
    };
    const ours = weightsOf(merged, (ordinal) => ids[Number(ordinal)]);
    const theirs = weightsOf(built, (id) => id);
    assert.equal(ours.size, theirs.size);
    let worst = 0;
    for (const [key, w] of theirs) {
      assert.ok(ours.has(key), key);
      worst = Math.max(worst, Math.abs(ours.get(key) - w));
    }
    assert.ok(worst <= 1e-6, `largest difference ${worst}`);

    // And each query's scores, the browser's (the shards it fetches) against lunr's.
    const engine = diskEngine(dir);
    const queries = new Set(['政务公开', '管理 办法', '2019 12', 'investment', '环境 保护', '财政 资金']);
    docs.forEach((d, i) => {
      queries.add(d.title.slice(0, 4));
      queries.add(d.body.slice(30, 32) + ' ' + docs[(i + 3) % docs.length].body.slice(5, 7));
    });
    let compared = 0;
    let largest = 0;
    for (const query of queries) {
      const terms = [...new Set(tokenize(query))];
      const expected = new Map(unsplitSearch(reference, terms).map((r) => [r.ref, r.score]));
      const { results } = await engine.search(query, {}, { ranking: 'lunr' });
      assert.equal(results.length, expected.size, query);
      for (const r of results) {
        const id = ids[r.ordinal];
        assert.ok(expected.has(id), `${query}: ${id}`);
        largest = Math.max(largest, Math.abs(expected.get(id) - r.score));
        compared++;
      }
    }
    assert.ok(largest <= 1e-6, `largest score difference ${largest}`);
    assert.ok(compared > 2 * queries.size / 3 && compared > 20, `${compared} scores compared`);
    console.log(`${name}: ${theirs.size} weights (largest difference ${worst}), ${compared} scores of ` +
      `${queries.size} queries (largest difference ${largest}) equal lunr.Builder's`);
  });

  test(`the sharded ${name} index gives the unsplit index's results`, async () => {
    const index = lunr.Index.load(readJson(path.join(dir, 'unsplit.json')));
    const engine = diskEngine(dir);
    const meta = await engine.meta();
    const ids = [];
    for (let n = 0; n * meta.chunk < meta.docs; n++) {
      readIndexFile(path.join(dir, 'search', meta.layout, `d/${n}.json.gz`)).forEach((r) => ids.push(r[0]));
    }
    // Queries: words of titles and bodies, doc numbers, pairs across documents, English words.
    const queries = new Set(['政务公开', '2019 12', '管理 办法', 'investment', '公开 investors', '不存在的词语']);
    docs.forEach((d, i) => {
      queries.add(d.title.slice(2, 6));
      queries.add(d.body.slice(10, 13) + ' ' + docs[(i + 1) % docs.length].body.slice(20, 22));
      if (d.doc_number) queries.add(d.doc_number);
    });
    let nonEmpty = 0;
    for (const query of queries) {
      const terms = [...new Set(tokenize(query))];
      const expected = unsplitSearch(index, terms);
      const { results } = await engine.search(query, {}, { ranking: 'lunr' });
      const got = results.map((r) => ({ ref: ids[r.ordinal], score: r.score }));
      assert.deepEqual(got, expected, query);
      if (expected.length) nonEmpty++;
    }
    assert.ok(nonEmpty >= queries.size / 2, `${nonEmpty} of ${queries.size} queries found something`);
  });
}

test('the fixture finds what a reader expects first', async () => {
  const engine = diskEngine(fixtureDir);
  const first = async (query, filters = {}) => {
    const { results } = await engine.search(query, filters);
    if (!results.length) return null;
    const [record] = await engine.records([results[0].ordinal]);
    return record.id;
  };
  assert.equal(await first('政务公开'), 'lzb-2019-12');
  assert.equal(await first('洛阳市行政规范性文件制定和备案管理办法'), 'lyzfl-172');
  for (const typed of ['洛政办〔2019〕12号', '洛政办[2019]12号', '2019 12', '洛政办(2019)12号']) {
    assert.equal(await first(typed), 'lzb-2019-12', typed);
  }
  assert.equal(await first('洛人社〔2026〕1号'), 'rsj-2026-1');
  assert.equal(await first('investments'), 'lzb-2020-7');
  assert.equal(await first('air quality'), 'sthjj-2025-1');
  assert.equal(await first('营商环境'), 'zb-2023-yingshang');
  assert.equal(await first('中共洛阳市委办公室'), 'zb-2023-yingshang');

  const all = (await engine.search('管理', {})).results.length;
  const repealed = await engine.search('管理', { status: 'repealed' });
  assert.ok(all > repealed.results.length && repealed.results.length === 1);
  assert.equal((await engine.records([repealed.results[0].ordinal]))[0].id, 'lzb-2018-40');
  const byYear = await engine.search('', { year: '2019' });
  assert.equal(byYear.results.length, 3);
  const combined = await engine.search('公开', { kind: 'normative', issuer: '洛阳市人民政府办公室', year: 2019 });
  const ids = (await engine.records(combined.results.map((r) => r.ordinal))).map((r) => r.id).sort();
  assert.deepEqual(ids, ['lzb-2019-12', 'lzb-2019-21']);
  assert.equal((await engine.search('', {})).idle, true);
});
