// The browser's search engine (search.js createEngine) over a search directory on disk, with a
// record of every file it reads and its size, as the page would download them.
import fs from 'node:fs';
import path from 'node:path';
import { lunr, GazetteSearch } from './search-js.mjs';

/** An engine reading `${root}/search/…`; `fetched` lists [path, bytes] in order. */
export function diskEngine(root) {
  const fetched = [];
  const engine = GazetteSearch.createEngine({
    lunr,
    base: '/search/',
    fetchJson: async (p) => {
      const file = path.join(root, p);
      if (!fs.existsSync(file)) throw new GazetteSearch.NotFound(p);
      const bytes = fs.readFileSync(file);
      fetched.push([p, bytes.length]);
      return JSON.parse(bytes.toString('utf8'));
    },
  });
  engine.fetched = fetched;
  return engine;
}

/** The unsplit index (ref = id) queried with every term required, as [{ref, score}]. */
export function unsplitSearch(index, terms) {
  return GazetteSearch.queryIndex(lunr, index, terms).map((r) => ({ ref: r.ref, score: r.score }));
}
