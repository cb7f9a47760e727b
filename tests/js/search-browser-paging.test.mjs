// Paging in a real headless Chromium (format 6): the page resolves only the results it shows.
// On a synthetic archive of 2 000 documents, /search/?q=… for common words lists the first 10,
// 显示更多结果 twice lists 20 and 30, in the order the engine gives when it resolves every result at
// once (lunr's, in tiers); the page reads the exact body lengths of a few documents only; the
// same with sort=date and with a filter; no script error occurs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { launch, haveChromium, CHROMIUM, problemsOf } from './lib/chromium.mjs';
import { ROOT, rustIndex } from './lib/rust.mjs';
import { synthDocs } from './lib/synth.mjs';
import { diskEngine } from './lib/engine.mjs';

describe('paging through results in Chromium', { skip: !haveChromium() && `no Chromium at ${CHROMIUM}` }, () => {
  let dir;
  let server;
  let browser;
  let page;
  let problems = [];
  const requests = [];

  before(async () => {
    dir = rustIndex(synthDocs(2000, 41), ['--no-unsplit', '--page', path.join(ROOT, 'tests/js/fixtures/base.html')]);
    server = await serve(dir);
    browser = await launch();
    page = await browser.context.newPage();
    problems = problemsOf(page);
    page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
  });

  const hrefs = () => page.locator('#search-results li h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const statusText = () => page.locator('#search-status').textContent();

  /** The first `n` results' addresses as the engine gives them resolved all at once. */
  async function expected(query, filters, opts, n) {
    const engine = diskEngine(dir);
    const { results } = await engine.search(query, filters, opts);
    const records = await engine.records(results.slice(0, n).map((r) => r.ordinal));
    return { count: results.length, urls: records.map((r) => r.url) };
  }

  async function pageThrough(params, filters, opts) {
    requests.length = 0;
    await page.goto(`${server.url}/search/?${new URLSearchParams(params)}`);
    await page.waitForFunction(() => /找到/.test(document.getElementById('search-status').textContent));
    const want = await expected(params.q, filters, opts, 30);
    assert.ok(want.count > 30, `${params.q}: ${want.count} results`);
    assert.equal(await statusText(), `找到 ${want.count} 条结果，显示前 10 条。`);
    assert.deepEqual(await hrefs(), want.urls.slice(0, 10), `${params.q}: page 1`);
    for (const shown of [20, 30]) {
      await page.click('#search-more');
      await page.waitForFunction((n) => document.querySelectorAll('#search-results li').length === n, shown);
      await page.waitForFunction((n) => document.getElementById('search-status').textContent.includes(`已显示 ${n} 条`), shown);
      assert.equal(await statusText(), `找到 ${want.count} 条，已显示 ${shown} 条。`);
      assert.deepEqual(await hrefs(), want.urls.slice(0, shown), `${params.q}: up to ${shown}`);
    }
    return { count: want.count, chunks: requests.filter((p) => p.includes('/n/')).length };
  }

  test('common words, page by page, in the order resolved all at once', async () => {
    for (const q of ['环境 保护', '管理 工作', '财政 资金']) {
      const { count, chunks } = await pageThrough({ q }, {}, {});
      console.log(`${q}: ${count} results, three pages read ${chunks} length chunks`);
      assert.ok(chunks > 0 && chunks < count / 8, `${q}: ${chunks} length chunks for ${count} results`);
    }
  });

  test('sorted by date and filtered, page by page', async () => {
    const byDate = await pageThrough({ q: '管理 工作', sort: 'date' }, {}, { sort: 'date' });
    assert.equal(byDate.chunks, 0, 'sort=date needs no body length');
    const dates = await page.locator('#search-results li time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    assert.deepEqual(dates, dates.slice().sort().reverse());
    await pageThrough({ q: '管理 工作', status: 'in_force' }, { status: 'in_force' }, {});
  });

  test('no script errors', () => {
    assert.deepEqual(problems, []);
  });
});
