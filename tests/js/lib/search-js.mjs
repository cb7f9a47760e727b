// Loads the browser's search.js (a classic script that also exports itself to CommonJS) and the
// real lunr.js 2.3.9 from node_modules, so tests run the very code the page runs.
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from './rust.mjs';

const require = createRequire(import.meta.url);
export const lunr = require('lunr');
export const GazetteSearch = require(path.join(ROOT, 'themes/default/static/assets/search.js'));
export const tokenize = GazetteSearch.makeTokenizer(lunr);
