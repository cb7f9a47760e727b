// Issue 20 in a real headless Chromium, one test per item: the reader's site as a government portal
// must be. Site identity in the footer; the document page in official-document form (2-character
// indent, 落款 at the right, the interpretation link on the first phone screen, 打印本页, repealed
// titles without strike-through); the gazette issue (上一期/下一期, page numbers, PDF size and
// SHA-256); search at 360 px (filters folded, first result on the first screen, 检索 in heading
// and navigation); the 备案目录 and wide body tables as cards on a phone; the latest issue near
// the top of the home page; a dark scheme. Screenshots of the states checked here go to
// tests/artifacts/screens/ too.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { launch, haveChromium } from './lib/chromium.mjs';
import { ROOT, MODES, buildSample, haveGazette, setMode, watchErrors, watchRequests } from './lib/theme-site.mjs';

const SCREENS = path.join(ROOT, 'tests/artifacts/screens');
const skip = !haveGazette() ? 'gazette binary not built (cargo build)' : !haveChromium() ? 'no Chromium' : false;
const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };

describe('the reader\'s site as a government portal', { skip }, () => {
  let site;
  let server;
  let browser;
  let page;
  let outside;
  let errors;

  before(async () => {
    fs.mkdirSync(SCREENS, { recursive: true });
    site = buildSample();
    server = await serve(site.out);
    browser = await launch();
    page = await browser.context.newPage();
    outside = watchRequests(page);
    errors = watchErrors(page);
    await setMode(page, server.url, MODES[0]);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
    if (site) site.cleanup();
  });

  async function open(url, viewport = PHONE) {
    await page.setViewportSize(viewport);
    await page.goto(server.url + url);
  }
  /** Top of an element in page coordinates (px from the top of the document). */
  const top = (selector) => page.locator(selector).first().evaluate((e) => e.getBoundingClientRect().top + window.scrollY);

  test('the footer names the site as the guideline requires, and links 关于本站 and 使用说明', async () => {
    await open('/');
    const footer = page.locator('.site-footer');
    for (const text of ['主办单位', '洛阳市人民政府办公室', '承办单位', '联系电话', '0379-63901234', '电子邮箱',
      '通信地址', '网站标识码', '4103000001', 'ICP备案编号', '豫ICP备12345678号-1', '公安机关备案号', '豫公网安备41030202000123号']) {
      assert.ok(await footer.getByText(text, { exact: false }).first().isVisible(), `footer shows ${text}`);
    }
    const mark = footer.locator('img[alt="党政机关网站标识"]');
    assert.ok(await mark.evaluate((img) => img.complete && img.naturalWidth > 0), 'the 党政机关网站标识 loads');
    assert.equal(await footer.getByRole('link', { name: '公安机关备案号' }).count() + await footer.getByRole('link', { name: '豫公网安备41030202000123号' }).count(), 1);
    for (const [name, href] of [['关于本站', '/pages/about/'], ['使用说明', '/pages/guide/'], ['网站地图', '/sitemap/']]) {
      assert.equal(await footer.getByRole('link', { name, exact: true }).getAttribute('href'), href);
    }
    await page.locator('.site-footer').screenshot({ path: path.join(SCREENS, 'footer-360.png') });
  });

  test('document body: paragraphs indented two characters, 落款 at the right after the body', async () => {
    await open('/documents/lzb-2021-18/', DESKTOP);
    const indent = await page.locator('.doc-body > p').first().evaluate((p) => {
      const s = getComputedStyle(p);
      return parseFloat(s.textIndent) / parseFloat(s.fontSize);
    });
    assert.equal(indent, 2);
    const sig = page.locator('.doc-signature');
    assert.deepEqual(await sig.locator('span, time').allTextContents(), ['洛阳市人民政府办公室', '2021年7月12日']);
    const [body, signature] = await Promise.all(['.doc-body', '.doc-signature time'].map((s) => page.locator(s).evaluate((e) => e.getBoundingClientRect())));
    assert.ok(signature.top > body.bottom - 1, '落款 after the body');
    assert.ok(signature.left > body.left + body.width / 2, '落款 on the right half');
  });

  test('document at 360 × 780: the interpretation link starts within the first 1000 px', async () => {
    await open('/documents/lzb-2021-18/');
    const y = await top('#h-interp');
    assert.ok(y < 1000, `相关解读 at ${y}px`);
    assert.ok(y < await top('.meta-box'), 'before the metadata');
    await open('/documents/jd-lzb-2021-18/');
    assert.ok(await top('#h-interprets') < 1000, '解读的文件 on the first screen of the interpretation');
    await page.screenshot({ path: path.join(SCREENS, 'interpretation-first-screen-360.png') });
  });

  test('打印本页 prints the page', async () => {
    await open('/documents/lzb-2021-18/');
    const button = page.getByRole('button', { name: '打印本页' });
    assert.ok(await button.isVisible());
    await page.evaluate(() => { window.print = () => { window.printed = (window.printed || 0) + 1; }; });
    await button.click();
    assert.equal(await page.evaluate(() => window.printed), 1);
    await open('/gazette/2025/06/');
    assert.ok(await page.getByRole('button', { name: '打印本页' }).isVisible(), 'an issue prints too');
  });

  test('a repealed title says 已废止 in words and colour, with no line over the characters', async () => {
    for (const url of ['/documents/lzb-2020-6/', '/status/repealed/', '/filings/']) {
      await open(url, DESKTOP);
      const title = page.locator('.is-repealed').first();
      const style = await title.evaluate((e) => {
        const s = getComputedStyle(e);
        return { line: s.textDecorationLine, image: s.backgroundImage, color: s.color };
      });
      assert.ok(!style.line.includes('line-through'), `${url}: ${style.line}`);
      assert.equal(style.image, 'none', `${url}: no drawn line`);
      assert.equal(style.color, 'rgb(163, 25, 28)', `${url}: the 已废止 colour`);
      assert.ok(await page.locator('.badge.status-repealed', { hasText: '已废止' }).first().isVisible(), `${url}: 已废止 in words`);
    }
  });

  test('attachments read 附件1、附件2… with title, type and size', async () => {
    await open('/documents/zfxxgk-ndbg-2024/', DESKTOP);
    const items = await page.locator('.attachments li').allInnerTexts();
    assert.equal(items.length, 1);
    assert.match(items[0], /^附件1\s*年度报告印刷版\s*（PDF 文档，[\d.]+ (KB|B|MB)）$/);
  });

  test('a gazette issue: 上一期/下一期, page numbers, the PDF with its size and SHA-256', async () => {
    await open('/gazette/2025/06/');
    const nav = page.getByRole('navigation', { name: '上一期、下一期' });
    assert.equal(await nav.getByRole('link', { name: /上一期/ }).getAttribute('href'), '/gazette/2025/02/');
    assert.equal(await nav.getByRole('link', { name: /下一期/ }).getAttribute('href'), '/gazette/2025/12/');
    assert.deepEqual(await page.locator('.toc-group h3').allTextContents(), ['市政府办公室文件', '部门文件', '人事任免']);
    assert.deepEqual(await page.locator('.toc-page').allTextContents(), ['第 3 页', '第 17 页', '第 21 页']);
    // The page number stands at the right of its entry.
    const [line, number] = await Promise.all(['.toc-line', '.toc-page'].map((s) => page.locator(s).first().evaluate((e) => e.getBoundingClientRect().right)));
    assert.ok(Math.abs(line - number) < 1, `page number at the right (${number} of ${line})`);
    assert.match(await page.locator('.issue-pdf a').textContent(), /下载印刷版 PDF（2025-06\.pdf，[\d.]+ (KB|B|MB)）/);
    assert.match(await page.locator('.digest').innerText(), /^[0-9a-f]{64}$/);
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'the digest wraps at 360 px');
    await page.screenshot({ path: path.join(SCREENS, 'issue-top-360.png') });
  });

  test('search at 360 px: filters fold behind one control, the first result is on the first screen', async () => {
    await open('/search/?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80');
    await page.waitForFunction(() => /找到|未找到/.test(document.getElementById('search-status').textContent));
    assert.equal(await page.locator('h1').innerText(), '检索');
    assert.equal(await page.locator('.main-nav a[aria-current="page"]').innerText(), '检索', 'heading and navigation say the same');
    const fold = page.locator('.search-fold-summary');
    assert.ok(await fold.isVisible());
    assert.equal(await page.locator('#search-kind-filter').isVisible(), false, 'filters folded');
    const first = await top('#search-results li');
    assert.ok(first + 40 < PHONE.height, `first result at ${first}px`);
    await page.screenshot({ path: path.join(SCREENS, 'search-results-360.png') });
    await fold.click();
    assert.ok(await page.locator('#search-kind-filter').isVisible(), 'one tap shows the filters');
    await page.selectOption('#search-kind-filter', 'normative');
    assert.match(await fold.innerText(), /已选 1 项/);

    await open('/search/', DESKTOP);
    assert.equal(await page.locator('.search-fold-summary').isVisible(), false, 'no control on a desktop');
    assert.ok(await page.locator('#search-kind-filter').isVisible());
  });

  test('备案目录 and wide body tables become cards on a phone', async () => {
    await open('/filings/');
    const card = await page.locator('.filings tbody tr').first().evaluate((tr) => ({
      display: getComputedStyle(tr).display,
      label: getComputedStyle(tr.cells[0], '::before').content,
    }));
    assert.deepEqual(card, { display: 'block', label: '"备案号"' });
    const region = await page.locator('.table-scroll').evaluate((e) => e.scrollWidth - e.clientWidth);
    assert.ok(region <= 0, `no sideways scrolling inside the table (${region}px)`);
    await page.screenshot({ path: path.join(SCREENS, 'filings-cards-360.png'), fullPage: true });

    await open('/documents/zfxxgk-ndbg-2024/');
    const table = page.locator('.doc-body table').first();
    assert.ok(await table.evaluate((t) => t.classList.contains('table-cards')));
    assert.ok(await table.evaluate((t) => getComputedStyle(t.querySelector('tbody td'), '::before').content.length > 2));
    await open('/filings/', DESKTOP);
    assert.equal(await page.locator('.filings tbody tr').first().evaluate((tr) => getComputedStyle(tr).display), 'table-row');
  });

  test('home at 360 px: the latest gazette issue comes before the newest documents', async () => {
    await open('/');
    const issue = await top('.home-issue');
    assert.ok(issue < await top('.home-latest'), 'issue first');
    assert.ok(issue < PHONE.height * 1.5, `near the top (${issue}px)`);
  });

  test('no request left 127.0.0.1 and no page reported an error', () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(errors, []);
  });
});
