// A real headless Chromium opens /search/?q=… and sees the expected first results for a Chinese
// word, a title, a doc number typed three ways, an English word and traditional characters;
// filters and the sort order narrow or order the results and show in the URL; a snippet shows
// the text around the words, marked; a slip shows near matches, labelled; typing updates results
// and URL; the gzip-compressed index files are inflated by the page (DecompressionStream); no
// script error or CSP violation occurs.
//
// Two sites: the fixture built by the real `gazette build` (GAZETTE_BIN, default
// target/debug/gazette; skipped with a message only when that binary does not exist), and the
// same documents assembled by examples/search_dump.rs over a stand-in base template, which
// exercises the page before and independently of the site build.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { launch, haveChromium, CHROMIUM, problemsOf } from './lib/chromium.mjs';
import { ROOT, rustIndex, tempDir } from './lib/rust.mjs';
import { fixtureDocs, SITE, AS_OF } from './lib/fixture.mjs';

const GAZETTE = path.resolve(ROOT, process.env.GAZETTE_BIN || 'target/debug/gazette');

function scenarios(siteDir) {
  let server;
  let browser;
  let page;
  let problems = [];

  before(async () => {
    server = await serve(siteDir());
    browser = await launch();
    page = await browser.context.newPage();
    problems = problemsOf(page);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
  });

  const status = () => page.locator('#search-status');
  const links = () => page.locator('#search-results li h3 a');
  async function open(params) {
    await page.goto(`${server.url}/search/?${new URLSearchParams(params)}`);
    await page.waitForFunction(() => /找到|近似结果/.test(document.getElementById('search-status').textContent));
  }
  async function firstHref(params) {
    await open(params);
    return links().first().getAttribute('href');
  }

  test('a Chinese word', async () => {
    assert.equal(await firstHref({ q: '政务公开' }), '/documents/lzb-2019-12/');
    const first = page.locator('#search-results li').first();
    assert.match(await first.locator('h3 mark').first().textContent(), /政务|公开/);
    assert.equal(await first.locator('.badge').getAttribute('class'), 'badge status-expired');
    assert.match(await first.textContent(), /洛政办〔2019〕12号/);
    assert.match(await first.textContent(), /2019-04-10/);
    assert.match(await status().textContent(), /找到 \d+ 条结果/);
  });

  test('a title', async () => {
    assert.equal(await firstHref({ q: '洛阳市行政规范性文件制定和备案管理办法' }), '/documents/lyzfl-172/');
  });

  test('a doc number however typed', async () => {
    for (const q of ['洛政办〔2019〕12号', '洛政办[2019]12号', '2019 12']) {
      assert.equal(await firstHref({ q }), '/documents/lzb-2019-12/', q);
    }
  });

  test('an English word', async () => {
    assert.equal(await firstHref({ q: 'investment' }), '/documents/lzb-2020-7/');
    assert.equal(await firstHref({ q: 'Air Quality' }), '/documents/sthjj-2025-1/');
  });

  test('traditional characters find the simplified text', async () => {
    assert.equal(await firstHref({ q: '政務公開' }), '/documents/lzb-2019-12/');
    assert.equal(await firstHref({ q: '洛陽市城市生活垃圾分類管理暫行辦法' }), '/documents/lzb-2018-40/');
  });

  test('a snippet shows the text around the words, marked', async () => {
    await open({ q: '集体审议' });
    const snippet = page.locator('#search-results li .search-result-snippet').first();
    assert.equal(await snippet.locator('mark').first().textContent(), '集体审议');
    assert.doesNotMatch(await snippet.textContent(), /^规范行政规范性文件的起草/);
  });

  test('a slip shows near matches, labelled', async () => {
    await open({ q: '城市生活垃圾分里管理' });
    assert.match(await status().textContent(), /近似结果/);
    assert.equal(await links().first().getAttribute('href'), '/documents/lzb-2018-40/');
    assert.equal(await page.locator('#search-results li .search-result-near').first().textContent(), '近似结果');
    await open({ q: '比特币交易平台' });
    assert.match(await status().textContent(), /未找到/);
  });

  test('sort by date orders the results newest first and shows in the URL', async () => {
    await open({ q: '管理' });
    const relevance = await links().evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    await page.selectOption('#search-sort', 'date');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('sort') === 'date');
    await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('找到'));
    const dates = await page.locator('#search-results li time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    assert.deepEqual(dates, dates.slice().sort().reverse());
    const latest = await links().evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(latest.slice().sort(), relevance.slice().sort());
    await open({ q: '管理', sort: 'date' });
    assert.equal(await page.inputValue('#search-sort'), 'date');
  });

  test('filters narrow the results and are reflected in the URL', async () => {
    await open({ q: '管理' });
    const all = await links().count();
    assert.ok(all >= 3, `${all} results`);
    await page.selectOption('#search-status-filter', 'repealed');
    await page.waitForFunction(() => /[?&]status=repealed/.test(location.search));
    await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('找到 1 条'));
    assert.equal(await links().count(), 1);
    assert.equal(await links().first().getAttribute('href'), '/documents/lzb-2018-40/');
    assert.match(page.url(), /q=%E7%AE%A1%E7%90%86/);

    await open({ q: '公开', kind: 'normative', year: '2019' });
    assert.equal(await page.inputValue('#search-kind-filter'), 'normative');
    const hrefs = (await links().evaluateAll((as) => as.map((a) => a.getAttribute('href')))).sort();
    assert.deepEqual(hrefs, ['/documents/lzb-2019-12/', '/documents/lzb-2019-21/']);
    // An issuer option (its value may be a slug): choosing it keeps only that issuer's documents.
    const option = await page.locator('#search-issuer-filter option', { hasText: '洛阳市人民政府办公室' }).first();
    await page.selectOption('#search-issuer-filter', await option.getAttribute('value'));
    await page.waitForFunction(() => /[?&]issuer=/.test(location.search));
    await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('找到 2 条'));
    await page.selectOption('#search-year-filter', '2020');
    await page.waitForFunction(() => /year=2020/.test(location.search));
    await page.waitForFunction(() => /未找到/.test(document.getElementById('search-status').textContent));
  });

  test('typing updates the results and the URL', async () => {
    await page.goto(`${server.url}/search/`);
    const box = page.getByLabel('关键词');
    await box.focus();
    await page.keyboard.type('营商环境');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === '营商环境');
    await page.waitForFunction(() => document.getElementById('search-status').textContent.startsWith('找到'));
    assert.equal(await links().first().getAttribute('href'), '/documents/zb-2023-yingshang/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), '搜索');
  });

  test('no script errors and no CSP violations', () => {
    assert.deepEqual(problems, []);
  });
}

describe('search page in Chromium', { skip: !haveChromium() && `no Chromium at ${CHROMIUM}` }, () => {
  describe('on a site assembled from the search files', () => {
    let dir;
    scenarios(() => {
      dir = rustIndex(fixtureDocs(), ['--page', path.join(ROOT, 'tests/js/fixtures/base.html')]);
      return dir;
    });
  });

  const missing = !fs.existsSync(GAZETTE) &&
    `gazette binary not found at ${GAZETTE} (set GAZETTE_BIN or run cargo build)`;
  describe('on the fixture built by gazette build', { skip: missing }, () => {
    scenarios(() => {
      // A copy of the fixture, so the build's cache and output stay out of the repository.
      const dir = tempDir('gazette-search-site-');
      const root = path.join(dir, 'site');
      fs.cpSync(SITE, root, { recursive: true });
      const out = path.join(dir, 'public');
      execFileSync(GAZETTE, ['build', '--root', root, '--output', out, '--as-of', AS_OF], { stdio: 'inherit' });
      return out;
    });
  });
});
