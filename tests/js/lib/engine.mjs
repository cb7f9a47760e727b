// The browser's search engine (search.js createEngine) over a search directory on disk, with a
// record of every file it reads and its size, as the page would download them (gzip-compressed,
// inflated here as the page inflates them with DecompressionStream).
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { lunr, GazetteSearch } from './search-js.mjs';

/** The indexed fields and their boosts, as the build writes them (`src/search/lunr.rs`). */
export const FIELDS = { title: 10, doc_number: 5, issuer: 2, body: 1 };

/** lunr.Builder (the real lunr.js) over the very terms a build indexed (`${dir}/tokens.json`, in
 * ordinal order, from `search_dump`), ref = id: the scores the browser's must equal. */
export function builderIndex(dir) {
  const builder = new lunr.Builder();
  builder.ref('id');
  for (const [field, boost] of Object.entries(FIELDS)) builder.field(field, { boost });
  builder.tokenizer = (terms) => (terms || []).map((t) => new lunr.Token(t, {}));
  JSON.parse(fs.readFileSync(path.join(dir, 'tokens.json'), 'utf8')).forEach((doc) => builder.add(doc));
  return builder.build();
}

/** An engine reading `${root}/search/…`; `fetched` lists [path, bytes] in order. */
export function diskEngine(root) {
  const fetched = [];
  const engine = GazetteSearch.createEngine({
    lunr,
    base: '/search/',
    fetchJson: async (address) => {
      // The page adds the build's content version to each address (`?v=`); a server ignores it.
      const p = address.split('?')[0];
      const file = path.join(root, p);
      if (!fs.existsSync(file)) throw new GazetteSearch.NotFound(p);
      const bytes = fs.readFileSync(file);
      fetched.push([p, bytes.length]);
      return JSON.parse(inflate(bytes).toString('utf8'));
    },
  });
  engine.fetched = fetched;
  return engine;
}

/** A file's bytes inflated when they are gzip (magic bytes 1f 8b), as search.js `inflated`. */
export function inflate(bytes) {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? zlib.gunzipSync(bytes) : bytes;
}

/** An index file on disk, inflated and parsed. */
export function readIndexFile(file) {
  return JSON.parse(inflate(fs.readFileSync(file)).toString('utf8'));
}

/** The unsplit index (ref = id) queried with every term required, as [{ref, score}]. */
export function unsplitSearch(index, terms) {
  return GazetteSearch.queryIndex(lunr, index, terms).map((r) => ({ ref: r.ref, score: r.score }));
}

/** The first results' ids of `query` (records read as the page reads them). */
export async function firstIds(engine, query, count = 10, filters = {}, opts = {}) {
  const outcome = await engine.search(query, filters, opts);
  const records = await engine.records(outcome.results.slice(0, count).map((r) => r.ordinal));
  return { outcome, ids: records.map((r) => r.id), records };
}
