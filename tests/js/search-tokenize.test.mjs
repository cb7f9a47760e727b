// The browser splits a query exactly as the build split the documents: search.js's tokenizer
// equals src/search/tokenize.rs on varied text (terms and positions), both fold traditional
// characters to simplified ones the same way (the one OpenCC table, search-t2s.js), and Rust's
// port of lunr's English pipeline (stop words, Porter stemmer) equals lunr's own on thousands of
// English words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as searchJs from './lib/search-js.mjs';
import { lunr, tokenize } from './lib/search-js.mjs';
import { ROOT, rustTokenize, rustPositions, rustFold } from './lib/rust.mjs';

const SAMPLES = [
  '洛阳市人民政府办公室关于全面推进政务公开工作的实施意见',
  '洛政办〔2019〕12号', '洛政办[2019]12号', '洛政办(2019)12号', '洛政办(２０１９)１２号', '2019 12',
  '洛阳市人民政府令第121号', '【重要】《办法》(试行)“放管服”改革——一网通办……',
  'COVID-19疫情防控', '第3季度GDP增长6.5%', 'PM2.5平均浓度', 'ＡＢＣ Ｒｅｇｕｌａｔｉｏｎｓ ｏｆ',
  'Open-government data, e.g. GB/T 9704-2012; the policies of the City', "investors' rights",
  'Café Ökologie ΣΟΦΙΑΣ İstanbul Москва', '東京タワー・ソウル서울', '𠀀𠀁中文𪚥龘',
  '二〇一九年 々', '2019年12月 2019, 12 (2019) 12号 2019 2020 0012 12345 2019-12-31', '  \t\n', '', 'a', '市', '012 000 0', 'self_service', 'x1y2z3', 'yelling YELLED',
  '公开\u3000政务', 'ⅠⅡ①②', 'abc中def文', '中a文', '社会主义核心价值观',
];

/** Random strings over an alphabet that mixes every class the tokenizer knows. */
function randomTexts(count, seed) {
  const alphabet = Array.from(
    '政务公开洛阳市人民政府办公室的了和与〔〕[]()()【】《》“”〈〉,。、;:!?-—_/\\·・ \t\n' +
    '業險關於號陽務開辦環衛乾發' +
    'abcdeyzXYZ012912345678920190１９ＡＺａｚéÉñßΣσςДдｱ々〇ぁアー가힣豈𠀀𪚥\u3000'
  );
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 8);
  const texts = [];
  for (let i = 0; i < count; i++) {
    let text = '';
    const length = next() % 40;
    for (let j = 0; j < length; j++) text += alphabet[next() % alphabet.length];
    texts.push(text);
  }
  return texts;
}

test('search.js tokenizes like tokenize.rs on samples', () => {
  const rust = rustTokenize(SAMPLES);
  SAMPLES.forEach((text, i) => assert.deepEqual(tokenize(text), rust[i], JSON.stringify(text)));
});

test('search.js tokenizes like tokenize.rs on random mixed-script text', () => {
  const texts = randomTexts(3000, 42);
  const rust = rustTokenize(texts);
  texts.forEach((text, i) => assert.deepEqual(tokenize(text), rust[i], JSON.stringify(text)));
});

test('search.js gives the positions tokenize.rs gives', () => {
  const texts = SAMPLES.concat(randomTexts(2000, 7));
  const rust = rustPositions(texts);
  const segments = searchJs.GazetteSearch.makeSegmenter(lunr);
  texts.forEach((text, i) => {
    const segs = segments(text);
    assert.deepEqual([segs.map((s) => s.term), segs.map((s) => s.at)], rust[i], JSON.stringify(text));
  });
});

test('Rust and search.js fold every character of the OpenCC table, and text, the same way', () => {
  const { GazetteSearch } = searchJs;
  const table = Array.from(fs.readFileSync(path.join(ROOT, 'themes/default/static/assets/search-t2s.js'), 'utf8')
    .match(/var GazetteT2S = '([^']*)'/)[1]);
  assert.ok(table.length > 6000, `${table.length} characters`);
  const keys = table.filter((_, i) => i % 2 === 0);
  const texts = [keys.join(''), '失業保險工作', '信訪局關於修改', '洛陽市人民政府辦公室關於〔2019〕12號', '政务公开',
    ...randomTexts(500, 11)];
  const rust = rustFold(texts);
  texts.forEach((text, i) => assert.equal(GazetteSearch.fold(text), rust[i], JSON.stringify(text.slice(0, 40))));
  // Every key folds to its pair, in both.
  const folded = Array.from(rust[0]);
  keys.forEach((key, i) => assert.equal(folded[i], table[2 * i + 1], key));
  assert.equal(rust[1], '失业保险工作');
  assert.deepEqual(tokenize('失業保險'), tokenize('失业保险'));
});

test('shard postings decode as shards.rs encodes them', () => {
  const { GazetteSearch } = searchJs;
  assert.deepEqual(GazetteSearch.decodeVarints('D8uB'), [3, 1500]);
  assert.deepEqual(GazetteSearch.decodeVarints('AKDUGe'), [0, 10, 3, 20, 6, 30]);
  assert.deepEqual(GazetteSearch.decodeVarints('gB'), [32]);
  assert.deepEqual(GazetteSearch.decodeVarints('________D'), [2 ** 42 - 1]);
  // The entry of shards.rs `entries_delta_code_ordinals_and_positions` (format 6): the title
  // field with its lengths, L and positions; the body field without lengths, whose classes its
  // length shard entry gives, one per document holding the term (here 0, 3 and 9), and whose
  // exact values are in the length chunks.
  const entry = ['公开', 'BDCeUEkB', '', '', 'DADGBBC'];
  assert.deepEqual(GazetteSearch.decodePostings(entry[1], 0),
    [{ ordinal: 3, tf: 2, n: 30, length: 41, positions: [4, 40] }]);
  assert.deepEqual(GazetteSearch.decodePostings(entry[4], 3).map((p) => [p.ordinal, p.tf, p.n]),
    [[0, 1, undefined], [3, 1, undefined], [9, 2, undefined]]);
  const classes = GazetteSearch.bodyClasses([entry], [['公开', 'DHC']]);
  assert.deepEqual([...classes], [[0, 3], [3, 7], [9, 2]]);
  assert.deepEqual([3, 7, 2, 0, 1, 32].map(GazetteSearch.classRange),
    [[4, 7], [64, 127], [2, 3], [0, 0], [1, 1], [2 ** 31, 2 ** 32 - 1]]);
  // shards.rs: the length chunks of two documents, 7 and 0, then 0 and 100.
  assert.deepEqual(GazetteSearch.decodeLengths('AHAA'), [7, 0]);
  assert.deepEqual(GazetteSearch.decodeLengths('AABk'), [0, 100]);
  // shards.rs `body_lengths_take_two_base64_digits_or_an_escape`.
  assert.deepEqual(GazetteSearch.decodeLengths('AAXc-__A_gB'), [0, 1500, 4031, 4032, 4064]);
});

test('doc numbers give the same terms however typed', () => {
  const canonical = tokenize('洛政办〔2019〕12号');
  assert.deepEqual(tokenize('洛政办[2019]12号'), canonical);
  assert.deepEqual(tokenize('洛政办(２０１９)１２号'), canonical);
  assert.deepEqual(tokenize('2019 12'), ['2019', '12', '2019〔12']);
});

/** English words: lunr's stemming fixture plus every word in the READMEs under node_modules. */
function englishWords() {
  const words = new Set(Object.keys(JSON.parse(fs.readFileSync(
    path.join(ROOT, 'node_modules/lunr/test/fixtures/stemming_vocab.json'), 'utf8'))));
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (/\.(md|d\.ts)$/.test(entry.name)) {
        for (const w of fs.readFileSync(file, 'utf8').match(/[A-Za-z]+/g) || []) words.add(w.toLowerCase());
      }
    }
  };
  walk(path.join(ROOT, 'node_modules'));
  return [...words].sort();
}

test("Rust's stop words and Porter stemmer equal lunr's", () => {
  const words = englishWords();
  assert.ok(words.length > 5000, `only ${words.length} words`);
  const pipeline = new lunr.Pipeline();
  pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
  const rust = rustTokenize(words);
  let stemmed = 0;
  words.forEach((word, i) => {
    const expected = pipeline.run(lunr.tokenizer(word)).map(String);
    assert.deepEqual(rust[i], expected, word);
    if (expected.length && expected[0] !== word) stemmed++;
  });
  assert.ok(stemmed > 1000, `only ${stemmed} words changed by stemming`);
});
