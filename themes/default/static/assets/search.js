/*!
 * gazette search: the browser half of the site search (the build half is src/search/ in gazette).
 *
 * The build cuts a lunr.js 2.3.9 index into term shards, a document store and facet sets under
 * /search/ (see src/search/mod.rs). For a query this script:
 *   1. splits the query into terms exactly as the build split documents (tokenize, the twin of
 *      src/search/tokenize.rs: character bigrams for Chinese, lunr's own pipeline for English);
 *   2. fetches only the term shards holding those terms and keeps the documents holding every
 *      term; lunr's score of each (BM25 from the term frequencies and field lengths in the
 *      shards and the document count and total field lengths in the manifest: no weight is
 *      stored, so an edited document changes only its own terms' shards) needs its body length,
 *      and a common pair of words has tens of thousands of such documents, so (format 6) it
 *      fetches only the classes of their body lengths (powers of two, from the length shard of
 *      the rarest term), bounds each score from above and below, and fetches the exact body
 *      lengths (length chunks, by ordinal) of the few whose upper bound reaches the lower bound
 *      of the last result on the page; those it weighs as lunr.Builder does, merges into one
 *      serialized lunr index and loads with lunr.Index.load; lunr divides a field score by the
 *      query vector's magnitude only, so this small index scores and orders them exactly as the
 *      whole index would, and the others cannot come before them. The next page fetches the
 *      few more lengths it needs;
 *   3. queries it with the lunr.Query API, every term required;
 *   4. keeps the documents that hold each typed run of three or more characters (positions: the
 *      title's in the term shards, the other fields' in position shards fetched only then; a long
 *      run looks up every other bigram, adjacency covers the rest), and ranks them in tiers with
 *      lunr's order within each: the title is the query, the query is the issuer's full name,
 *      the query is a contiguous part of the title, the rest;
 *   5. when nothing holds every term, offers near matches (all but up to two terms), labelled;
 *   6. narrows the results with the facet sets of the chosen filters, sorts them by date when
 *      asked (sort=date: no score, no length needed), and fetches the document store records of
 *      the results it shows.
 * Traditional characters are folded to simplified ones first, with the table in search-t2s.js
 * that the build folds documents with. The index files are gzip; the page inflates them with
 * DecompressionStream.
 * Written as ES2017 without a build step; loaded with `defer` after lunr.js; works under a
 * `default-src 'self'` Content-Security-Policy (no inline code, no eval). In Node it exports its
 * functions (module.exports) for the tests instead of starting the page.
 */
(function (root, factory) {
  'use strict';
  if (typeof module === 'object' && module.exports) {
    module.exports = factory(require('./search-t2s.js'));
  } else {
    var api = factory(root.GazetteT2S || '');
    root.GazetteSearch = api;
    api.start(root);
  }
}(typeof self !== 'undefined' ? self : this, function (t2sPairs) {
  'use strict';

  /* ---------------------------------------------------------------- tokenizer ---- */

  const SEPARATOR = 0;
  const WORD = 1;
  const CJK = 2;
  const YEAR_SERIAL = '\u3014';

  /** Full-width ASCII → ASCII; the ideographic space → a space. */
  function foldWidth(cp) {
    if (cp >= 0xFF01 && cp <= 0xFF5E) return cp - 0xFEE0;
    if (cp === 0x3000) return 0x20;
    return cp;
  }

  /**
   * Traditional → simplified characters (search-t2s.js: OpenCC's table, the very file that
   * src/search/fold.rs reads), code point to code point.
   */
  const T2S = new Map();
  (function () {
    const chars = Array.from(t2sPairs);
    for (let i = 0; i + 1 < chars.length; i += 2) T2S.set(chars[i].codePointAt(0), chars[i + 1].codePointAt(0));
  }());

  function foldChar(cp) {
    if (cp < 0x2E80) return cp;
    const folded = T2S.get(cp);
    return folded === undefined ? cp : folded;
  }

  /** `text` folded as the build folds documents (fold.rs `fold`). */
  function fold(text) {
    let out = '';
    for (const ch of String(text)) out += String.fromCodePoint(foldChar(ch.codePointAt(0)));
    return out;
  }

  /** tokenize.rs `is_unpositioned`: white space (Rust's char::is_whitespace) and 《》〈〉“”. */
  function unpositioned(cp) {
    return cp === 0x300A || cp === 0x300B || cp === 0x3008 || cp === 0x3009 || cp === 0x201C || cp === 0x201D ||
      (cp >= 0x09 && cp <= 0x0D) || cp === 0x20 || cp === 0x85 || cp === 0xA0 || cp === 0x1680 ||
      (cp >= 0x2000 && cp <= 0x200A) || cp === 0x2028 || cp === 0x2029 || cp === 0x202F || cp === 0x205F ||
      cp === 0x3000;
  }

  /** The same code point ranges as tokenize.rs `classify`. */
  function classify(cp) {
    if ((cp >= 0x30 && cp <= 0x39) || (cp >= 0x41 && cp <= 0x5A) || (cp >= 0x61 && cp <= 0x7A)) return WORD;
    if ((cp >= 0xC0 && cp <= 0xD6) || (cp >= 0xD8 && cp <= 0xF6) || (cp >= 0xF8 && cp <= 0x24F)) return WORD;
    if ((cp >= 0x391 && cp <= 0x3A9) || (cp >= 0x3AC && cp <= 0x3CE) || (cp >= 0x400 && cp <= 0x4FF)) return WORD;
    if (cp === 0x3005 || cp === 0x3007 || (cp >= 0x3041 && cp <= 0x3096) || (cp >= 0x30A1 && cp <= 0x30FA)) return CJK;
    if ((cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF)) return CJK;
    if (cp >= 0x20000 && cp <= 0x323AF) return CJK;
    return SEPARATOR;
  }

  /**
   * Returns segments(text): the terms of `text` with the UTF-16 range each comes from, its
   * position (tokenize.rs: characters counted but blanks and 《》〈〉“”) and, for the bigrams of
   * a Chinese run, the run's number: [{term, start, end, at, run}], in order. tokenize(text) is
   * their terms.
   */
  function makeSegmenter(lunr) {
    function analyzeWord(word) {
      if (/^[0-9]+$/.test(word)) {
        const trimmed = word.replace(/^0+/, '');
        return trimmed === '' ? '0' : trimmed;
      }
      if (!/^[\x00-\x7F]*$/.test(word)) return word;
      // lunr's own pipeline functions: trimmer, stop word filter, Porter stemmer.
      let token = lunr.trimmer(new lunr.Token(word, {}));
      token = lunr.stopWordFilter(token);
      if (!token) return null;
      const term = lunr.stemmer(token).toString();
      return term === '' ? null : term;
    }

    return function segments(text) {
      const out = [];
      let run = [];        // [{ch, start, at}]
      let runClass = SEPARATOR;
      let runs = 0;
      let offset = 0;
      let position = 0;
      let year = null;     // a four-digit number segment that only separators have followed
      const flush = function (end) {
        if (runClass === CJK) {
          year = null;
          if (run.length === 1) {
            out.push({ term: run[0].ch, start: run[0].start, end: end, at: run[0].at, run: -1 });
          } else {
            runs++;
            for (let i = 0; i + 1 < run.length; i++) {
              const stop = i + 2 < run.length ? run[i + 2].start : end;
              out.push({ term: run[i].ch + run[i + 1].ch, start: run[i].start, end: stop, at: run[i].at, run: runs });
            }
          }
        } else if (runClass === WORD) {
          const term = analyzeWord(run.map(function (r) { return r.ch; }).join('').toLowerCase());
          const previous = year;
          year = null;
          if (term !== null && /^[0-9]+$/.test(term)) {
            const number = { term: term, start: run[0].start, end: end, at: run[0].at, run: -1 };
            out.push(number);
            if (previous) {
              // tokenize.rs YEAR_SERIAL: 〔2019〕12号, [2019]12, 2019 12 also give "2019〔12".
              out.push({ term: previous.term + YEAR_SERIAL + term, start: previous.start, end: end, at: previous.at, run: -1 });
            }
            if (term.length === 4) year = number;
          } else if (term !== null) {
            out.push({ term: term, start: run[0].start, end: end, at: run[0].at, run: -1 });
          }
        }
      };
      for (const raw of String(text)) {
        const cp = foldChar(foldWidth(raw.codePointAt(0)));
        const cls = classify(cp);
        if (cls !== runClass) {
          flush(offset);
          run = [];
          runClass = cls;
        }
        if (cls !== SEPARATOR) run.push({ ch: String.fromCodePoint(cp), start: offset, at: position });
        if (!unpositioned(cp)) position++;
        offset += raw.length;
      }
      flush(offset);
      return out;
    };
  }

  function makeTokenizer(lunr) {
    const segments = makeSegmenter(lunr);
    return function tokenize(text) {
      return segments(text).map(function (s) { return s.term; });
    };
  }

  /** FNV-1a (32 bits) over UTF-16 code units: shards.rs `term_hash`. */
  function termHash(term) {
    let h = 0x811c9dc5;
    for (let i = 0; i < term.length; i++) {
      h = Math.imul(h ^ term.charCodeAt(i), 0x01000193);
    }
    return h >>> 0;
  }

  function unique(list) {
    const seen = new Set();
    return list.filter(function (x) {
      if (seen.has(x)) return false;
      seen.add(x);
      return true;
    });
  }

  /* ----------------------------------------------------------- index merging ---- */

  /** shards.rs VARINT_ALPHABET: base-32 digits, least significant first, +32 while more follow. */
  const VARINT_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const VARINT_VALUE = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) VARINT_VALUE[VARINT_ALPHABET.charCodeAt(i)] = i;

  function decodeVarints(text) {
    const out = [];
    let value = 0;
    let scale = 1;
    for (let i = 0; i < text.length; i++) {
      const digit = VARINT_VALUE[text.charCodeAt(i)];
      value += (digit & 31) * scale;
      if (digit & 32) {
        scale *= 32;
      } else {
        out.push(value);
        value = 0;
        scale = 1;
      }
    }
    return out;
  }

  /**
   * A length chunk's body lengths (shards.rs `push_length`): two base-64 digits each, most
   * significant first, or `_` and a base-32 varint of the excess over 63 × 64.
   */
  function decodeLengths(text) {
    const out = [];
    let i = 0;
    while (i < text.length) {
      const high = VARINT_VALUE[text.charCodeAt(i)];
      if (high < 63) {
        out.push(high * 64 + VARINT_VALUE[text.charCodeAt(i + 1)]);
        i += 2;
        continue;
      }
      let value = 0;
      let scale = 1;
      let digit;
      i++;
      do {
        digit = VARINT_VALUE[text.charCodeAt(i++)];
        value += (digit & 31) * scale;
        scale *= 32;
      } while (digit & 32);
      out.push(63 * 64 + value);
    }
    return out;
  }

  /** The field whose positions are in the term shards, and the one whose lengths are not (shards.rs). */
  const TITLE = 0;
  const BODY = 3;

  /**
   * Field `field`'s postings in a term shard entry, [{ordinal, tf, n}] in ascending ordinal: the
   * term's frequency and the field's length in terms; for the title field each also has the
   * title's `length` in positions and the term's `positions` there. shards.rs: the posting
   * count, then column by column the ordinal steps, the frequencies, the lengths (and L, as its
   * zigzag difference from n + 1, and the positions). The body field has no length column (its
   * lengths are in the length shards): its postings' `n` is undefined.
   */
  function decodePostings(text, field) {
    const flat = decodeVarints(text);
    const out = [];
    if (!flat.length) return out;
    const count = flat[0];
    const lengths = field === BODY ? undefined : 1 + 2 * count;
    let ordinal = 0;
    for (let k = 0; k < count; k++) {
      ordinal += flat[1 + k];
      out.push({ ordinal: ordinal, tf: flat[1 + count + k], n: lengths === undefined ? undefined : flat[lengths + k] });
    }
    if (field === TITLE) {
      let i = 1 + 3 * count;
      // L is stored as its zigzag difference from n + 1 (shards.rs `zigzag`).
      out.forEach(function (posting) {
        const z = flat[i++];
        posting.length = posting.n + 1 + (z % 2 === 0 ? z / 2 : -(z + 1) / 2);
      });
      out.forEach(function (posting) {
        posting.positions = [];
        let at = 0;
        for (let k = 0; k < posting.tf; k++) posting.positions.push(at += flat[i++]);
      });
    }
    return out;
  }

  /**
   * A position shard field: each posting's positions (`postings`, the term shard's decoded
   * postings of the same field, say how many), in the term shard's order (shards.rs).
   */
  function decodePositions(text, postings) {
    const flat = decodeVarints(text);
    const out = [];
    let i = 0;
    postings.forEach(function (posting) {
      const list = [];
      let at = 0;
      for (let k = 0; k < posting.tf && i < flat.length; k++) list.push(at += flat[i++]);
      out.push(list);
    });
    return out;
  }

  /**
   * lunr.Builder's weight of a posting (lib/builder.js createFieldVectors, operation for
   * operation, BM25 with lunr's k1 = 1.2 and b = 0.75): `idf` of the term, the term's frequency
   * `tf` in a field of `n` terms whose average length is `average`, the field's `boost`.
   */
  function weight(idf, tf, n, average, boost) {
    let score = idf * ((1.2 + 1) * tf) / (1.2 * (1 - 0.75 + 0.75 * (n / average)) + tf);
    score *= boost;
    score *= 1;  // lunr's document boost
    return Math.round(score * 1000) / 1000;
  }

  /** Each field's decoded postings of a term shard entry, decoded once per entry. */
  const decodedEntries = new WeakMap();
  function entryPostings(entry) {
    let fields = decodedEntries.get(entry);
    if (!fields) {
      fields = entry.slice(1).map(function (text, f) { return decodePostings(text, f); });
      decodedEntries.set(entry, fields);
    }
    return fields;
  }

  /** The ordinals holding the term of a term shard entry, in any field, ascending. */
  const entryHolders = new WeakMap();
  function holders(entry) {
    let out = entryHolders.get(entry);
    if (!out) {
      const all = new Set();
      entryPostings(entry).forEach(function (postings) {
        postings.forEach(function (p) { all.add(p.ordinal); });
      });
      out = Array.from(all).sort(function (a, b) { return a - b; });
      entryHolders.set(entry, out);
    }
    return out;
  }

  /**
   * The ordinals holding at least `least` of the entries' terms (every one when `least` is the
   * entries' count) and passing `passes`: the only documents a query scores.
   */
  function candidates(entries, least, passes) {
    const counts = new Map();
    entries.forEach(function (entry) {
      holders(entry).forEach(function (o) { counts.set(o, (counts.get(o) || 0) + 1); });
    });
    const out = new Set();
    counts.forEach(function (count, o) { if (count >= least && passes(o)) out.add(o); });
    return out;
  }

  /**
   * The entries whose length shard entries hold the body length class of every one of `wanted`
   * (a set of ordinals): the rarest term's alone when each holds every term (it holds them all),
   * else, for near matches, the rarer terms' while some are missing. A query so fetches the
   * classes of its rarest word, not of its commonest (shards.rs, formats 5 and 6).
   */
  function lengthSources(entries, wanted) {
    const missing = new Set(wanted);
    const order = entries.map(function (e, i) { return i; })
      .sort(function (a, b) { return holders(entries[a]).length - holders(entries[b]).length || a - b; });
    const chosen = [];
    for (const i of order) {
      if (missing.size === 0) break;
      const covers = holders(entries[i]).filter(function (o) { return missing.has(o); });
      if (!covers.length) continue;
      covers.forEach(function (o) { missing.delete(o); });
      chosen.push(entries[i]);
    }
    return chosen;
  }

  /**
   * Body length classes by ordinal from the length shard entries ["term", "<c…>"] (shards.rs,
   * format 6) of the term shard entries `entries`, in the same order (null for none): one digit
   * per document holding the term, in ascending ordinal.
   */
  function bodyClasses(entries, classEntries) {
    const out = new Map();
    entries.forEach(function (entry, i) {
      const text = classEntries[i] ? classEntries[i][1] : '';
      holders(entry).forEach(function (o, k) {
        if (k < text.length) out.set(o, VARINT_VALUE[text.charCodeAt(k)]);
      });
    });
    return out;
  }

  /**
   * The body lengths of class `c` (shards.rs `length_class`: the length's number of binary
   * digits), [least, greatest].
   */
  function classRange(c) {
    return c === 0 ? [0, 0] : [Math.pow(2, c - 1), Math.pow(2, c) - 1];
  }

  /** lunr.idf of a term with `count` postings over all fields among `docs` documents. */
  function idfOf(count, docs) {
    const x = (docs - count + 0.5) / (count + 0.5);
    return Math.log(1 + Math.abs(x));
  }

  /**
   * Lunr's score of each of `ordinals` (a set) for the terms of `entries`, as bounds: Map
   * ordinal → {lo, hi, body} where `body` says whether it needs a body length (holds a term in
   * the body). `lengths` (ordinal → exact body length) and `classes` (ordinal → class) say
   * what is known; a body length is at least the query terms' frequencies there. Each field's
   * weights are summed and divided by the query vector's magnitude as lunr.Index#query does;
   * the weight falls as the length grows, so the longest length gives the lower bound.
   */
  function scoreBounds(m, entries, ordinals, lengths, classes) {
    const magnitude = Math.sqrt(entries.length);
    const averages = m.fields.map(function (f, i) { return m.lengths[i] / m.docs; });
    const fixed = new Map();   // ordinal → the weights of the fields but the body
    const body = new Map();    // ordinal → [idf, tf, idf, tf …] of its body postings
    entries.forEach(function (entry) {
      const decoded = entryPostings(entry);
      let count = 0;
      decoded.forEach(function (postings) { count += postings.length; });
      const idf = idfOf(count, m.docs);
      decoded.forEach(function (postings, f) {
        postings.forEach(function (p) {
          if (!ordinals.has(p.ordinal)) return;
          if (f === BODY) {
            const list = body.get(p.ordinal);
            if (list) list.push(idf, p.tf);
            else body.set(p.ordinal, [idf, p.tf]);
          } else {
            fixed.set(p.ordinal, (fixed.get(p.ordinal) || 0) + weight(idf, p.tf, p.n, averages[f], m.boosts[f]));
          }
        });
      });
    });
    const out = new Map();
    ordinals.forEach(function (o) {
      const base = (fixed.get(o) || 0) / magnitude;
      const list = body.get(o);
      if (!list) {
        out.set(o, { lo: base, hi: base, body: false });
        return;
      }
      let least = 0;
      for (let i = 1; i < list.length; i += 2) least += list[i];
      let most = Infinity;
      if (lengths.has(o)) {
        least = most = lengths.get(o);
      } else if (classes.has(o)) {
        const range = classRange(classes.get(o));
        least = Math.max(least, range[0]);
        most = Math.max(least, range[1]);
      }
      let lo = 0;
      let hi = 0;
      for (let i = 0; i < list.length; i += 2) {
        lo += weight(list[i], list[i + 1], most, averages[BODY], m.boosts[BODY]);
        hi += weight(list[i], list[i + 1], least, averages[BODY], m.boosts[BODY]);
      }
      out.set(o, { lo: base + lo / magnitude, hi: base + hi / magnitude, body: true });
    });
    return out;
  }

  /**
   * Of `items` ({ordinal, …}) ordered by `group` (a comparison, e.g. the ranking tier) and then
   * by score, those that can be among the first `k`: all of a better group than the k-th best
   * by lower bound, and those of its group whose upper bound reaches its lower bound (the others
   * have k documents certainly scoring more). `bounds` as scoreBounds gives them.
   */
  function contenders(items, bounds, group, k) {
    if (k >= items.length) return items.slice();
    const sorted = items.slice().sort(function (a, b) {
      return group(a, b) || bounds.get(b.ordinal).lo - bounds.get(a.ordinal).lo;
    });
    const kth = sorted[k - 1];
    const threshold = bounds.get(kth.ordinal).lo;
    // Lunr sums in its own order; a margin far above rounding errors and far below 0.001.
    const margin = 1e-9 * Math.max(1, Math.abs(threshold));
    return items.filter(function (item) {
      const g = group(item, kth);
      return g < 0 || (g === 0 && bounds.get(item.ordinal).hi >= threshold - margin);
    });
  }

  /** The title postings of each entry: term → ordinal → {length, positions} (every posting). */
  function titleMaps(entries) {
    const titles = new Map();
    entries.forEach(function (entry) {
      titles.set(entry[0], new Map(entryPostings(entry)[TITLE].map(function (p) { return [p.ordinal, p]; })));
    });
    return titles;
  }

  /**
   * One serialized lunr index (what lunr.Index.load reads) from shard entries
   * [term, title, doc_number, issuer, body] (shards.rs) and the manifest `m` (its document
   * count, fields, boosts and total field lengths). The weights are computed here as
   * lunr.Builder computes them: the idf by lunr.idf from the term's postings (all of them are in
   * its entry), the average field length as the total over the document count. Terms are
   * numbered (`_index`) in lunr's order among themselves. Refs are document ordinals.
   * `lengths` maps an ordinal to its body length (length chunks). With `keep` (a set of
   * ordinals), only those documents are in the index: the idf still counts every posting, and
   * lunr scores a document from its own field vectors only and lists ties in ascending ordinal
   * within a term and field, so they score and rank exactly as in the whole index; the others'
   * body lengths are not needed. Returns {serialized, titles}: titles maps term → ordinal →
   * {length, positions} of the title field (every posting, kept or not).
   */
  function mergeEntries(lunr, m, entries, lengths, keep) {
    const fields = m.fields;
    const averages = fields.map(function (f, i) { return m.lengths[i] / m.docs; });
    // In lunr's term order, so that each field vector's elements arrive in ascending _index.
    const ordered = entries.slice().sort(function (a, b) { return a[0] < b[0] ? -1 : (a[0] > b[0] ? 1 : 0); });
    const vectors = new Map();
    const titles = new Map();
    const none = {};  // lunr keeps no metadata per posting here; one shared empty object will do
    const inverted = ordered.map(function (entry, index) {
      const posting = { _index: index };
      const decoded = entryPostings(entry);
      fields.forEach(function (field, f) {
        const docs = {};
        decoded[f].forEach(function (p) { docs[p.ordinal] = none; });
        posting[field] = docs;
      });
      const idf = lunr.idf(posting, m.docs);
      decoded.forEach(function (postings, f) {
        if (f === TITLE) titles.set(entry[0], new Map(postings.map(function (p) { return [p.ordinal, p]; })));
        if (keep) {
          const docs = {};
          postings.forEach(function (p) { if (keep.has(p.ordinal)) docs[p.ordinal] = none; });
          posting[fields[f]] = docs;
        }
        postings.forEach(function (p) {
          if (keep && !keep.has(p.ordinal)) return;
          const n = f === BODY ? lengths.get(p.ordinal) : p.n;
          const w = weight(idf, p.tf, n, averages[f], m.boosts[f]);
          const key = fields[f] + '/' + p.ordinal;
          const elements = vectors.get(key);
          if (elements) elements.push(index, w);
          else vectors.set(key, [index, w]);
        });
      });
      return [entry[0], posting];
    });
    return {
      serialized: {
        version: lunr.version,
        fields: fields.slice(),
        fieldVectors: Array.from(vectors),
        invertedIndex: inverted,
        pipeline: []
      },
      titles: titles
    };
  }

  /** Runs the query of `terms` (all required, already processed) on a loaded lunr index. */
  function queryIndex(lunr, index, terms) {
    return index.query(function (q) {
      terms.forEach(function (term) {
        q.term(term, { usePipeline: false, presence: lunr.Query.presence.REQUIRED });
      });
    });
  }

  /** A facet set file ({n, d: deltas} or {n, b: base64 bitmap}) as a membership test. */
  function decodeSet(data) {
    if (data.b !== undefined) {
      const binary = typeof atob === 'function' ? atob(data.b) : Buffer.from(data.b, 'base64').toString('binary');
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      return function (ordinal) { return (bytes[ordinal >> 3] >> (ordinal & 7) & 1) === 1; };
    }
    const members = new Set();
    let ordinal = 0;
    data.d.forEach(function (delta) { ordinal += delta; members.add(ordinal); });
    return function (ordinal) { return members.has(ordinal); };
  }

  /** `text` as the index compares names: widths and characters folded, blanks and 《》〈〉“” out. */
  function normalized(text) {
    let out = '';
    for (const ch of String(text)) {
      const cp = foldChar(foldWidth(ch.codePointAt(0)));
      if (!unpositioned(cp)) out += String.fromCodePoint(cp);
    }
    return out;
  }

  /**
   * Whether a phrase (segments of one run, positions relative to each other) is in a field:
   * some start has every segment's term at its offset. positionsOf(term) → [p…] or null.
   */
  function phraseIn(positionsOf, phrase) {
    const first = positionsOf(phrase[0].term);
    if (!first) return false;
    return first.some(function (start) {
      return phrase.every(function (s) {
        const list = positionsOf(s.term);
        return list !== null && list.indexOf(start + s.at - phrase[0].at) >= 0;
      });
    });
  }

  /* ------------------------------------------------------------------ engine ---- */

  class NotFound extends Error {}

  /** The layout of the index files this script reads (src/search/mod.rs FORMAT). */
  const FORMAT = 6;

  /** Near matches need at least this many of the query's terms, and all but two of them. */
  const NEAR_LEAST = 2;

  /**
   * The search over one site's index. options: {lunr, fetchJson(path, {fresh}) → Promise of the
   * parsed (inflated) file, base: '/search/'}. fetchJson rejects with a NotFound
   * (engine.NotFound) for a missing file.
   */
  function createEngine(options) {
    const lunr = options.lunr;
    const base = options.base || '/search/';
    const segments = makeSegmenter(lunr);
    const tokenize = function (text) { return segments(text).map(function (s) { return s.term; }); };
    let metaPromise = null;
    let cache = new Map();

    function fetchCached(path, transform) {
      let promise = cache.get(path);
      if (!promise) {
        promise = options.fetchJson(path, { fresh: false }).then(transform);
        cache.set(path, promise);
        promise.catch(function () { cache.delete(path); });
      }
      return promise;
    }

    function meta() {
      if (!metaPromise) {
        metaPromise = options.fetchJson(base + 'meta.json', { fresh: true }).then(function (m) {
          if (m.format !== FORMAT) throw new Error('search index format ' + m.format + ', this page reads ' + FORMAT);
          return m;
        });
        metaPromise.catch(function () { metaPromise = null; });
      }
      return metaPromise;
    }

    /** A file of the index: its folder is the layout, `?v=` the content of this build. */
    function file(m, relative) {
      return base + m.layout + '/' + relative + '?v=' + m.version;
    }

    /** The entry of `term` in its term ('t'), position ('p') or length ('l') shard, or null. */
    function shardEntry(m, kind, term) {
      const count = { t: m.shards, p: m.positions, l: m.bodyLengths }[kind];
      const path = file(m, kind + '/' + (termHash(term) % count) + '.json.gz');
      return fetchCached(path, function (entries) {
        const byTerm = new Map();
        entries.forEach(function (e) { byTerm.set(e[0], e); });
        return byTerm;
      }).then(function (byTerm) { return byTerm.get(term) || null; });
    }

    function facetTest(m, facet, value) {
      if (facet === 'year') {
        const year = m.facets.year.find(function (y) { return String(y.value) === String(value); });
        return Promise.resolve(year ? function (o) { return o >= year.from && o < year.to; } : function () { return false; });
      }
      const entry = (m.facets[facet] || []).find(function (v) { return v.value === value; });
      if (!entry) return Promise.resolve(function () { return false; });
      return fetchCached(file(m, entry.file), decodeSet);
    }

    /**
     * What a query asks for: `all` its terms; `phrases`, each run of three or more characters as
     * the segments that cover it (every other bigram and the last: adjacency checks the rest);
     * `chosen`, the segments to look up (the phrases' and every other); `terms`, theirs;
     * `length`, its positioned length (a title equal to it has the same).
     */
    function plan(query) {
      const segs = segments(query);
      const runs = new Map();
      segs.forEach(function (s) {
        if (s.run > 0) runs.set(s.run, (runs.get(s.run) || []).concat([s]));
      });
      const phrases = [];
      const chosen = segs.filter(function (s) { return s.run <= 0 || runs.get(s.run).length < 2; });
      runs.forEach(function (list) {
        if (list.length < 2) return;
        const picked = list.filter(function (s, i) { return i % 2 === 0 || i === list.length - 1; });
        phrases.push(picked);
        picked.forEach(function (s) { chosen.push(s); });
      });
      let bigrams = 0;
      runs.forEach(function (list) { bigrams += list.length; });
      return {
        all: unique(segs.map(function (s) { return s.term; })),
        terms: unique(chosen.map(function (s) { return s.term; })),
        chosen: chosen,
        phrases: phrases,
        bigrams: bigrams,
        length: Array.from(normalized(query)).length
      };
    }

    /**
     * The body length classes of the documents `wanted` (bodyClasses), from the length shards
     * of as few of the entries' terms as hold them all (lengthSources): the rarest term's alone
     * when each holds every term.
     */
    async function classesFor(m, entries, wanted) {
      const sources = lengthSources(entries, wanted);
      const found = await Promise.all(sources.map(function (e) { return shardEntry(m, 'l', e[0]); }));
      return bodyClasses(sources, found);
    }

    /** Adds the exact body lengths of `ordinals` to `lengths`, from their length chunks (n/). */
    async function exactLengths(m, ordinals, lengths) {
      const chunks = unique(ordinals.filter(function (o) { return !lengths.has(o); })
        .map(function (o) { return Math.floor(o / m.lengthChunk); }));
      const decoded = await Promise.all(chunks.map(function (c) {
        return fetchCached(file(m, 'n/' + c + '.json.gz'), decodeLengths);
      }));
      chunks.forEach(function (c, i) {
        decoded[i].forEach(function (n, k) { lengths.set(c * m.lengthChunk + k, n); });
      });
    }

    /**
     * The order of `items` ({ordinal, …}, already filtered), resolved a page at a time:
     * `group` compares two items before their scores (the tier; near matches: terms matched,
     * in the title, title length), `order(index, byOrdinal)` runs lunr on the loaded index of the
     * contenders (byOrdinal: ordinal → item) and returns [{ordinal, score, …}] in the final
     * order. upTo(k)
     * resolves the first k results exactly (contenders: only the documents that can be among
     * them get exact body lengths and lunr scores) and returns them.
     */
    function ranking(m, entries, items, group, order) {
      const lengths = new Map();
      let classes = null;
      let resolved = [];
      const all = new Set(items.map(function (item) { return item.ordinal; }));
      const byOrdinal = new Map(items.map(function (item) { return [item.ordinal, item]; }));
      async function upTo(k) {
        k = Math.min(k, items.length);
        if (k <= resolved.length) return resolved;
        if (classes === null && k < items.length) {
          const wanted = new Set();
          scoreBounds(m, entries, all, lengths, new Map()).forEach(function (b, o) { if (b.body) wanted.add(o); });
          classes = await classesFor(m, entries, wanted);
        }
        const bounds = scoreBounds(m, entries, all, lengths, classes || new Map());
        const chosen = contenders(items, bounds, group, k);
        await exactLengths(m, chosen.filter(function (item) { return bounds.get(item.ordinal).body; })
          .map(function (item) { return item.ordinal; }), lengths);
        const keep = new Set(chosen.map(function (item) { return item.ordinal; }));
        const merged = mergeEntries(lunr, m, entries, lengths, keep);
        resolved = order(lunr.Index.load(merged.serialized), byOrdinal).slice(0, k);
        return resolved;
      }
      return { upTo: upTo };
    }

    /** Keeps the results that hold every phrase of the plan in one field. */
    async function withPhrases(m, p, entries, titles, results) {
      if (!p.phrases.length) return results;
      const inTitle = function (o, phrase) {
        return phraseIn(function (term) {
          const posting = titles.get(term).get(o);
          return posting ? posting.positions : null;
        }, phrase);
      };
      const pending = results.some(function (r) {
        return !p.phrases.every(function (phrase) { return inTitle(r.ordinal, phrase); });
      });
      if (!pending) return results;
      const terms = unique([].concat.apply([], p.phrases).map(function (s) { return s.term; }));
      const found = await Promise.all(terms.map(function (t) { return shardEntry(m, 'p', t); }));
      const byTerm = new Map(entries.map(function (e) { return [e[0], e]; }));
      // term → per field after the title, ordinal → positions
      const fields = new Map();
      terms.forEach(function (term, i) {
        const maps = [];
        for (let f = 1; f < m.fields.length; f++) {
          const postings = entryPostings(byTerm.get(term))[f];
          const lists = found[i] ? decodePositions(found[i][f], postings) : [];
          const map = new Map();
          postings.forEach(function (posting, k) {
            map.set(posting.ordinal, lists[k] || []);
          });
          maps.push(map);
        }
        fields.set(term, maps);
      });
      const has = function (o, phrase) {
        if (inTitle(o, phrase)) return true;
        for (let f = 0; f + 1 < m.fields.length; f++) {
          const there = phraseIn(function (term) { return fields.get(term)[f].get(o) || null; }, phrase);
          if (there) return true;
        }
        return false;
      };
      return results.filter(function (r) {
        return p.phrases.every(function (phrase) { return has(r.ordinal, phrase); });
      });
    }

    /**
     * Each result's ranking tier (lunr's order is kept within each): 0 the title is the query,
     * 1 the query is the full name of the document's issuer, 2 every word of the query is a
     * contiguous part of the title, 3 the rest.
     */
    async function tiers(m, p, titles, results, query) {
      const name = normalized(query);
      const issuer = m.facets.issuer.find(function (v) { return normalized(v.value) === name; });
      const byIssuer = issuer ? await fetchCached(file(m, issuer.file), decodeSet) : function () { return false; };
      const tier = function (o) {
        const title = function (term) {
          const posting = titles.get(term).get(o);
          return posting ? posting.positions : null;
        };
        const contains = p.chosen.every(function (s) { return title(s.term) !== null; }) &&
          p.phrases.every(function (phrase) { return phraseIn(title, phrase); });
        const equal = contains && titles.get(p.chosen[0].term).get(o).length === p.length &&
          p.chosen.every(function (s) { return title(s.term).indexOf(s.at) >= 0; });
        if (equal) return 0;
        if (byIssuer(o)) return 1;
        return contains ? 2 : 3;
      };
      results.forEach(function (r) { r.tier = tier(r.ordinal); });
      return results;
    }

    /**
     * Near matches: documents with all but up to two of the query's terms (at least NEAR_LEAST),
     * most terms first, then most of them in the title, then a title as long as the query, then
     * lunr's score, then the ordinal. For a query that found nothing. Returns {items, entries,
     * group, order} for ranking, or null.
     */
    async function nearMatches(m, p, passes) {
      const needed = Math.max(NEAR_LEAST, p.all.length - 2);
      const entries = (await Promise.all(p.all.map(function (t) { return shardEntry(m, 't', t); })))
        .filter(function (e) { return e !== null; });
      if (entries.length < needed) return null;
      const keep = candidates(entries, needed, passes);
      if (keep.size === 0) return null;
      const titles = titleMaps(entries);
      // Of the terms found, how many are in the title, and whether the title is as long as the
      // query: a slip (促进管里办法) keeps the length of the title it was typed from, and its
      // interpretations (《X》政策解读) hold as many of its terms but are longer.
      const matched = new Map();
      entries.forEach(function (entry) {
        holders(entry).forEach(function (o) { if (keep.has(o)) matched.set(o, (matched.get(o) || 0) + 1); });
      });
      const items = Array.from(keep).sort(function (a, b) { return a - b; }).map(function (o) {
        let count = 0;
        let same = false;
        titles.forEach(function (byOrdinal) {
          const posting = byOrdinal.get(o);
          if (!posting) return;
          count++;
          if (posting.length === p.length) same = true;
        });
        return { ordinal: o, matched: matched.get(o), inTitle: count, sameLength: same ? 1 : 0 };
      });
      const group = function (a, b) {
        return b.matched - a.matched || b.inTitle - a.inTitle || b.sameLength - a.sameLength;
      };
      const order = function (index, byOrdinal) {
        return index.query(function (q) {
          entries.forEach(function (e) { q.term(e[0], { usePipeline: false }); });
        }).map(function (r) {
          const item = byOrdinal.get(Number(r.ref));
          return {
            ordinal: item.ordinal, score: r.score, matched: item.matched,
            inTitle: item.inTitle, sameLength: item.sameLength
          };
        }).sort(function (a, b) {
          return group(a, b) || b.score - a.score || a.ordinal - b.ordinal;
        });
      };
      return { items: items, entries: entries, group: group, order: order };
    }

    /**
     * The results for `query` within `filters` ({status, kind, issuer, year}): {terms, idle,
     * near, count, results, upTo}. `count` is how many; `results` the first ones in order, each
     * {ordinal, score, tier} (near matches: {ordinal, score, matched, inTitle, sameLength});
     * upTo(k) resolves the first k and resolves to them (results then holds them). opts.page:
     * how many to resolve at once (default: all). opts.sort 'date': newest first, all at once
     * and without scores. opts.ranking 'lunr': lunr's results alone (every term, no phrases,
     * tiers or near matches), for comparing with the unsplit index.
     */
    async function run(query, filters, opts) {
      opts = opts || {};
      const m = await meta();
      const p = plan(query);
      const lunrOnly = opts.ranking === 'lunr';
      const terms = lunrOnly ? p.all : p.terms;
      const active = Object.keys(filters || {}).filter(function (k) { return filters[k] !== '' && filters[k] != null; });
      const tests = await Promise.all(active.map(function (k) { return facetTest(m, k, filters[k]); }));
      const passes = function (o) { return tests.every(function (test) { return test(o); }); };
      const outcome = { terms: p.all, idle: false, near: false, count: 0, results: [] };
      const settled = function (results) {
        outcome.results = results;
        outcome.count = results.length;
        outcome.upTo = function () { return Promise.resolve(outcome.results); };
        return outcome;
      };
      if (terms.length === 0) {
        if (active.length === 0) return Object.assign(settled([]), { idle: true, terms: [] });
        const all = [];
        for (let o = 0; o < m.docs; o++) if (passes(o)) all.push({ ordinal: o, score: 0 });
        return settled(all);
      }
      const entries = await Promise.all(terms.map(function (t) { return shardEntry(m, 't', t); }));
      const keep = entries.every(function (e) { return e !== null; }) ? candidates(entries, entries.length, passes) : new Set();
      let found = null;
      if (keep.size > 0) {
        let items = Array.from(keep).sort(function (a, b) { return a - b; })
          .map(function (o) { return { ordinal: o, tier: 0 }; });
        if (!lunrOnly) {
          const titles = titleMaps(entries);
          items = await withPhrases(m, p, entries, titles, items);
          items = await tiers(m, p, titles, items, query);
        }
        found = {
          items: items,
          entries: entries,
          group: function (a, b) { return a.tier - b.tier; },
          // lunr's order, then the tiers (a stable sort keeps lunr's order within each).
          order: function (index, byOrdinal) {
            return queryIndex(lunr, index, terms)
              .map(function (r) {
                const ordinal = Number(r.ref);
                return lunrOnly ? { ordinal: ordinal, score: r.score } : { ordinal: ordinal, score: r.score, tier: byOrdinal.get(ordinal).tier };
              })
              .sort(function (a, b) { return (a.tier || 0) - (b.tier || 0); });
          }
        };
      }
      if (!lunrOnly && (!found || found.items.length === 0) && p.bigrams >= 3) {
        found = await nearMatches(m, p, passes);
        outcome.near = found !== null;
      }
      if (!found || found.items.length === 0) return settled([]);
      if (opts.sort === 'date') {
        return settled(found.items.slice().sort(function (a, b) { return a.ordinal - b.ordinal; }));
      }
      const ranked = ranking(m, found.entries, found.items, found.group, found.order);
      outcome.count = found.items.length;
      outcome.upTo = function (k) {
        // Not retried after a new build (as search is): the page starts the search again.
        return ranked.upTo(k).then(function (results) {
          outcome.results = results;
          return results;
        });
      };
      await outcome.upTo(opts.page > 0 ? opts.page : Infinity);
      return outcome;
    }

    /** The document store records of `ordinals`, as objects, in the same order. */
    async function records(ordinals) {
      const m = await meta();
      const label = function (facet, value) {
        const v = m.facets[facet].find(function (x) { return x.value === value; });
        return v ? v.label : value;
      };
      return Promise.all(ordinals.map(async function (ordinal) {
        const chunk = await fetchCached(file(m, 'd/' + Math.floor(ordinal / m.chunk) + '.json.gz'), function (x) { return x; });
        const r = chunk[ordinal % m.chunk];
        return {
          ordinal: ordinal, id: r[0], title: r[1], docNumber: r[2], issuers: r[3], published: r[4],
          status: r[5], statusLabel: label('status', r[5]), kind: r[6], kindLabel: label('kind', r[6]),
          url: r[7], snippet: r[8]
        };
      }));
    }

    /** After a new build replaced the versioned files: forget everything and retry once. */
    async function retrying(fn) {
      try {
        return await fn();
      } catch (e) {
        if (!(e instanceof NotFound)) throw e;
        metaPromise = null;
        cache = new Map();
        return fn();
      }
    }

    return {
      tokenize: tokenize,
      segments: segments,
      meta: meta,
      plan: plan,
      search: function (query, filters, opts) { return retrying(function () { return run(query, filters, opts); }); },
      records: function (ordinals) { return retrying(function () { return records(ordinals); }); }
    };
  }

  /* -------------------------------------------------------------------- page ---- */

  const FILTERS = ['status', 'kind', 'issuer', 'year'];
  const PAGE_SIZE = 10;
  const DEBOUNCE_MS = 250;

  /** Characters of a snippet shown before its first marked word, and in all. */
  const SNIPPET_BEFORE = 30;
  const SNIPPET_LENGTH = 120;

  /** The UTF-16 ranges [start, end) of `text` covered by query terms, merged, in order. */
  function markedRanges(segments, text, terms) {
    const wanted = new Set(terms);
    const ranges = [];
    segments(text).forEach(function (s) {
      if (!wanted.has(s.term)) return;
      const last = ranges[ranges.length - 1];
      if (last && s.start <= last[1]) last[1] = Math.max(last[1], s.end);
      else ranges.push([s.start, s.end]);
    });
    return ranges;
  }

  /**
   * The stretch of a snippet source to show: around the first marked word (SNIPPET_BEFORE
   * characters before it), or the beginning when no word is marked; [from, to) in UTF-16 units.
   */
  function snippetWindow(text, ranges) {
    let from = ranges.length ? Math.max(0, ranges[0][0] - SNIPPET_BEFORE) : 0;
    // Not inside a surrogate pair.
    if (from > 0 && /[\uDC00-\uDFFF]/.test(text[from])) from--;
    let to = Math.min(text.length, from + SNIPPET_LENGTH);
    if (to < text.length && /[\uDC00-\uDFFF]/.test(text[to])) to++;
    return [from, to];
  }

  /**
   * Text of `text` as nodes, the ranges covered by query terms inside <mark>; with `window`
   * ([from, to]), only that stretch, an ellipsis marking each cut.
   */
  function highlighted(doc, segments, text, terms, window) {
    const ranges = markedRanges(segments, text, terms);
    const from = window ? window[0] : 0;
    const to = window ? window[1] : text.length;
    const fragment = doc.createDocumentFragment();
    if (from > 0) fragment.appendChild(doc.createTextNode('…'));
    let at = from;
    ranges.forEach(function (range) {
      const start = Math.max(range[0], from);
      const end = Math.min(range[1], to);
      if (start >= end) return;
      if (start > at) fragment.appendChild(doc.createTextNode(text.slice(at, start)));
      const mark = doc.createElement('mark');
      mark.textContent = text.slice(start, end);
      fragment.appendChild(mark);
      at = end;
    });
    if (at < to) fragment.appendChild(doc.createTextNode(text.slice(at, to)));
    if (to < text.length && !/…$/.test(text)) fragment.appendChild(doc.createTextNode('…'));
    return fragment;
  }

  function element(doc, tag, className, children) {
    const el = doc.createElement(tag);
    if (className) el.className = className;
    (children || []).forEach(function (c) {
      el.appendChild(typeof c === 'string' ? doc.createTextNode(c) : c);
    });
    return el;
  }

  function resultItem(doc, engine, record, terms, near) {
    const link = element(doc, 'a', null, [highlighted(doc, engine.segments, record.title, terms)]);
    link.href = record.url;
    const meta = element(doc, 'p', 'search-result-meta');
    const part = function (label, value, className) {
      if (!value) return;
      meta.appendChild(element(doc, 'span', className, [
        element(doc, 'span', 'search-result-label', [label]),
        highlighted(doc, engine.segments, value, terms)
      ]));
      meta.appendChild(doc.createTextNode(' '));
    };
    part(say('number'), record.docNumber, 'search-result-number');
    part(say('issuer'), record.issuers.join('、'), 'search-result-issuer');
    const time = element(doc, 'time', null, [record.published]);
    time.setAttribute('datetime', record.published);
    meta.appendChild(element(doc, 'span', 'search-result-date', [
      element(doc, 'span', 'search-result-label', [say('published')]), time
    ]));
    meta.appendChild(doc.createTextNode(' '));
    // Kinds without a validity of their own (人事任免, 公告, 政策解读) have no status badge.
    if (record.status) meta.appendChild(element(doc, 'span', 'badge status-' + record.status, [record.statusLabel]));
    if (near) {
      meta.appendChild(doc.createTextNode(' '));
      meta.appendChild(element(doc, 'span', 'badge search-result-near', [say('near')]));
    }
    const item = element(doc, 'li', 'search-result', [
      element(doc, 'h3', 'search-result-title', [link]),
      meta
    ]);
    if (record.snippet) {
      const window = snippetWindow(record.snippet, markedRanges(engine.segments, record.snippet, terms));
      item.appendChild(element(doc, 'p', 'search-result-snippet', [
        highlighted(doc, engine.segments, record.snippet, terms, window)
      ]));
    }
    return item;
  }

  // What the page says, from the search form's data-words (the theme's js.search table);
  // these when a page has none.
  const WORDS = {
    number: '文号：', issuer: '发文机关：', published: '发布日期：', near: '近似结果',
    failed_load: '搜索组件未能加载。', old_browser: '浏览器版本过旧，无法检索。请使用较新的浏览器。',
    empty: '请输入关键词，或选择筛选条件。', none_single: '未找到结果。中文请至少输入两个字。',
    none: '未找到符合条件的文件。', shown_first: '，显示前 {n} 条。', end: '。',
    near_found: '没有同时含有全部词语的文件。以下是 {n} 条近似结果（含有大部分词语）',
    found: '找到 {n} 条结果', error: '搜索出错，请稍后重试。',
    more_near: '近似结果 {n} 条，已显示 {shown} 条。', more: '找到 {n} 条，已显示 {shown} 条。'
  };
  let words = WORDS;
  function say(key, values) {
    return String(words[key] || WORDS[key]).replace(/\{(\w+)\}/g, function (all, name) {
      return values && Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  function init(win) {
    const doc = win.document;
    const form = doc.getElementById('search-form');
    if (!form) return;
    try {
      const given = JSON.parse(form.getAttribute('data-words') || '{}');
      words = Object.assign({}, WORDS, given);
    } catch (e) { /* the defaults */ }
    const input = doc.getElementById('search-q');
    const status = doc.getElementById('search-status');
    const list = doc.getElementById('search-results');
    const more = doc.getElementById('search-more');
    const sort = doc.getElementById('search-sort');
    if (!win.lunr) {
      status.textContent = say('failed_load');
      return;
    }
    if (typeof win.DecompressionStream !== 'function') {
      status.textContent = say('old_browser');
      return;
    }
    const engine = createEngine({
      lunr: win.lunr,
      base: form.getAttribute('data-index') || '/search/',
      fetchJson: function (path, opts) {
        return win.fetch(path, { cache: opts.fresh ? 'no-cache' : 'default', credentials: 'same-origin' })
          .then(function (response) {
            if (response.status === 404) throw new NotFound(path);
            if (!response.ok) throw new Error(response.status + ' ' + path);
            return response.arrayBuffer();
          })
          .then(function (buffer) { return inflated(win, buffer); })
          .then(JSON.parse);
      }
    });
    const selects = {};
    FILTERS.forEach(function (name) { selects[name] = form.elements.namedItem(name); });

    // The index names issuers in full; an option's value may be a slug (for the URL).
    function issuerName(value, m) {
      const select = selects.issuer;
      if (!value || !select) return value;
      const names = new Set(m.facets.issuer.map(function (v) { return v.value; }));
      const option = Array.prototype.find.call(select.options, function (o) { return o.value === value; });
      const candidates = [value];
      if (option) candidates.push(option.getAttribute('data-name'), option.textContent.trim());
      return candidates.find(function (c) { return c && names.has(c); }) || value;
    }

    function readUrl() {
      const params = new URLSearchParams(win.location.search);
      input.value = params.get('q') || '';
      if (sort) sort.value = params.get('sort') === 'date' ? 'date' : '';
      FILTERS.forEach(function (name) {
        const select = selects[name];
        const value = params.get(name) || '';
        if (select) {
          select.value = value;
          if (select.value !== value) select.value = '';
        }
      });
    }

    function writeUrl() {
      const params = new URLSearchParams();
      if (input.value.trim()) params.set('q', input.value.trim());
      FILTERS.forEach(function (name) {
        if (selects[name] && selects[name].value) params.set(name, selects[name].value);
      });
      if (sort && sort.value === 'date') params.set('sort', 'date');
      const query = params.toString();
      const url = win.location.pathname + (query ? '?' + query : '');
      if (url !== win.location.pathname + win.location.search) win.history.replaceState(null, '', url);
    }

    let generation = 0;
    let shown = [];
    let current = null;

    /** Shows the next page of results: resolves them first (current.upTo), then their records. */
    async function showMore(focusFirst) {
      const mine = generation;
      const results = await current.upTo(shown.length + PAGE_SIZE);
      if (mine !== generation) return;
      const batch = results.slice(shown.length, shown.length + PAGE_SIZE);
      const records = await engine.records(batch.map(function (r) { return r.ordinal; }));
      if (mine !== generation) return;
      let first = null;
      records.forEach(function (record) {
        const item = resultItem(doc, engine, record, current.terms, current.near);
        first = first || item.querySelector('a');
        list.appendChild(item);
      });
      shown = shown.concat(batch);
      more.hidden = shown.length >= current.count;
      if (focusFirst && first) first.focus();
    }

    async function update() {
      writeUrl();
      const mine = ++generation;
      const query = input.value.trim();
      const filters = {};
      try {
        const m = await engine.meta();
        FILTERS.forEach(function (name) {
          const value = selects[name] ? selects[name].value : '';
          if (value) filters[name] = name === 'issuer' ? issuerName(value, m) : value;
        });
        const outcome = await engine.search(query, filters, { sort: sort ? sort.value : '', page: PAGE_SIZE });
        if (mine !== generation) return;
        current = outcome;
        shown = [];
        list.textContent = '';
        more.hidden = true;
        if (outcome.idle) {
          status.textContent = say('empty');
          return;
        }
        const n = outcome.count;
        if (n === 0) {
          const single = outcome.terms.length === 1 && classify(outcome.terms[0].codePointAt(0)) === CJK &&
            Array.from(outcome.terms[0]).length === 1;
          status.textContent = say(single ? 'none_single' : 'none');
          return;
        }
        // The count is announced once the first results are on the page, not before: a
        // screen reader (and anyone reading the page) then never hears "found 12" over an
        // empty list while the result records are still loading.
        await showMore(false);
        if (mine !== generation) return;
        const shownText = n > PAGE_SIZE ? say('shown_first', { n: Math.min(n, PAGE_SIZE) }) : say('end');
        status.textContent = say(outcome.near ? 'near_found' : 'found', { n: n }) + shownText;
      } catch (e) {
        if (mine !== generation) return;
        status.textContent = say('error');
        if (win.console) win.console.error(e);
      }
    }

    let timer = null;
    function later() {
      win.clearTimeout(timer);
      timer = win.setTimeout(update, DEBOUNCE_MS);
    }

    input.addEventListener('input', function (event) {
      if (!event.isComposing) later();
    });
    input.addEventListener('compositionend', later);
    FILTERS.forEach(function (name) {
      if (selects[name]) selects[name].addEventListener('change', function () { win.clearTimeout(timer); update(); });
    });
    if (sort) sort.addEventListener('change', function () { win.clearTimeout(timer); update(); });
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      win.clearTimeout(timer);
      update();
    });
    more.addEventListener('click', function () {
      const mine = generation;
      showMore(true).then(function () {
        if (mine !== generation) return;
        status.textContent = say(current.near ? 'more_near' : 'more', { n: current.count, shown: shown.length });
      }, function (e) {
        if (mine !== generation) return;
        status.textContent = say('error');
        if (win.console) win.console.error(e);
      });
    });
    win.addEventListener('popstate', function () { readUrl(); update(); });

    readUrl();
    if (input.value.trim() || FILTERS.some(function (n) { return selects[n] && selects[n].value; })) update();
  }

  /** A fetched index file's text: inflated when it is gzip (magic bytes 1f 8b), as is otherwise. */
  async function inflated(win, buffer) {
    const bytes = new Uint8Array(buffer);
    if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new win.TextDecoder().decode(bytes);
    const stream = new win.Blob([bytes]).stream().pipeThrough(new win.DecompressionStream('gzip'));
    return new win.Response(stream).text();
  }

  function start(win) {
    if (!win || !win.document) return;
    if (win.document.readyState === 'loading') {
      win.document.addEventListener('DOMContentLoaded', function () { init(win); });
    } else {
      init(win);
    }
  }

  return {
    classify: classify,
    fold: fold,
    normalized: normalized,
    inflated: inflated,
    decodePostings: decodePostings,
    bodyClasses: bodyClasses,
    classRange: classRange,
    scoreBounds: scoreBounds,
    contenders: contenders,
    titleMaps: titleMaps,
    lengthSources: lengthSources,
    decodePositions: decodePositions,
    makeSegmenter: makeSegmenter,
    makeTokenizer: makeTokenizer,
    termHash: termHash,
    mergeEntries: mergeEntries,
    weight: weight,
    queryIndex: queryIndex,
    decodeSet: decodeSet,
    decodeVarints: decodeVarints,
    decodeLengths: decodeLengths,
    createEngine: function (options) {
      const engine = createEngine(options);
      engine.NotFound = NotFound;
      return engine;
    },
    NotFound: NotFound,
    start: start
  };
}));
