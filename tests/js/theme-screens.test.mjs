// The default theme on a phone and a desktop, in a real headless Chromium. For a page of every
// type (tests/js/lib/theme-site.mjs PAGES): full-page screenshots at 360 px and 1280 px, in the
// normal colours and in the dark scheme, and at 360 px with large text in high contrast, go to
// tests/artifacts/screens/ for people to look at; at 360 px nothing scrolls sideways and every
// link or button in the header, the navigation and the pager is at least 44 × 44 px. Printing a
// document and a gazette issue drops the navigation, shows link addresses and starts each group
// of an issue on a new page after a cover page (PDFs in tests/artifacts/print/). No request
// leaves 127.0.0.1.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { launch, haveChromium } from './lib/chromium.mjs';
import { ROOT, PAGES, MODES, buildSample, haveGazette, setMode, watchErrors, watchRequests } from './lib/theme-site.mjs';

const SCREENS = path.join(ROOT, 'tests/artifacts/screens');
const PRINT = path.join(ROOT, 'tests/artifacts/print');
const skip = !haveGazette() ? 'gazette binary not built (cargo build)' : !haveChromium() ? 'no Chromium' : false;

/** Links and buttons of the header, every <nav> (main, breadcrumbs, pager) smaller than 44 × 44. */
function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('header a, header button, nav a, nav button, .pager a, .pager button')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue; // not shown at this width
      if (el.closest('.visually-hidden')) continue;
      if (r.width < 44 || r.height < 44) small.push(`${el.textContent.trim()} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  });
}

const overflow = (page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('theme on screens and paper', { skip }, () => {
  let site;
  let paged;
  let server;
  let pagedServer;
  let browser;
  let page;
  let outside;
  let errors;

  before(async () => {
    fs.mkdirSync(SCREENS, { recursive: true });
    fs.mkdirSync(PRINT, { recursive: true });
    site = buildSample();
    paged = buildSample({ pageSize: 10 });
    server = await serve(site.out);
    pagedServer = await serve(paged.out);
    browser = await launch();
    page = await browser.context.newPage();
    outside = watchRequests(page);
    errors = watchErrors(page);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
    if (pagedServer) await pagedServer.close();
    if (site) site.cleanup();
    if (paged) paged.cleanup();
  });

  for (const [name, url] of PAGES) {
    test(`${name} page at 360 px and 1280 px, light and dark`, async () => {
      for (const mode of [MODES[0], MODES[3]]) {
        await setMode(page, server.url, mode);
        const suffix = mode[0] === 'dark' ? '-dark' : '';
        await page.setViewportSize({ width: 360, height: 780 });
        await page.goto(server.url + url);
        await page.screenshot({ path: path.join(SCREENS, `${name}-360${suffix}.png`), fullPage: true });
        const wide = await overflow(page);
        assert.ok(wide <= 0, `${url}: the page scrolls sideways by ${wide}px at 360 px`);
        assert.deepEqual(await smallTargets(page), [], `${url}: touch targets under 44 × 44 px`);

        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(server.url + url);
        await page.screenshot({ path: path.join(SCREENS, `${name}-1280${suffix}.png`), fullPage: true });
        assert.ok((await overflow(page)) <= 0, `${url}: sideways scroll at 1280 px`);
      }
      await setMode(page, server.url, MODES[0]);
    });
  }

  test('large text in high contrast still fits 360 px', async () => {
    await setMode(page, server.url, ['large-contrast', { 'gazette.textSize': 'text-large', 'gazette.contrast': 'high' }, 'light']);
    await page.setViewportSize({ width: 360, height: 780 });
    for (const [name, url] of PAGES) {
      await page.goto(server.url + url);
      assert.equal(await page.evaluate(() => getComputedStyle(document.documentElement).fontSize), '20px');
      await page.screenshot({ path: path.join(SCREENS, `${name}-360-large-contrast.png`), fullPage: true });
      const wide = await overflow(page);
      assert.ok(wide <= 0, `${url}: scrolls sideways by ${wide}px`);
      assert.deepEqual(await smallTargets(page), [], `${url}: small touch targets`);
    }
    await setMode(page, server.url, MODES[0]);
  });

  test('lists with a pager: 44 px targets, no sideways scroll at 360 px', async () => {
    await page.setViewportSize({ width: 360, height: 780 });
    for (const [name, url] of [['list-page-2', '/documents/page/2/'], ['filings', '/filings/']]) {
      await page.goto(pagedServer.url + url);
      assert.ok(await page.locator('.pager a').count() >= 3, `${url}: has a pager`);
      await page.screenshot({ path: path.join(SCREENS, `${name}-360.png`), fullPage: true });
      assert.ok((await overflow(page)) <= 0, `${url}: sideways scroll`);
      assert.deepEqual(await smallTargets(page), [], `${url}: small touch targets`);
    }
  });

  test('print: no navigation, link addresses shown, each group of an issue on a new page', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.emulateMedia({ media: 'print' });
    try {
      await page.goto(server.url + '/gazette/2025/06/');
      const issue = await page.evaluate(() => ({
        hidden: ['.site-header', '.breadcrumbs', '.site-footer'].map((s) => getComputedStyle(document.querySelector(s)).display),
        address: getComputedStyle(document.querySelector('.toc a'), '::after').content,
        cover: getComputedStyle(document.querySelector('.issue-toc')).breakBefore,
        breaks: [...document.querySelectorAll('.toc-group')].map((g) => getComputedStyle(g).breakBefore),
        header: getComputedStyle(document.querySelector('.print-header')).display,
      }));
      assert.deepEqual(issue.hidden, ['none', 'none', 'none']);
      assert.match(issue.address, /attr\(href\)|\/documents\//);
      assert.equal(issue.header, 'block', 'the page address is printed');
      assert.ok(issue.breaks.length >= 2, 'the sample issue has several groups');
      // A cover page, then the table of contents: its first group under 目录, each next group on a new page.
      assert.equal(issue.cover, 'page');
      assert.deepEqual(issue.breaks, ['auto', ...Array(issue.breaks.length - 1).fill('page')]);
      const pdf = await page.pdf({ format: 'A4', path: path.join(PRINT, 'issue.pdf') });
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages >= issue.breaks.length + 1, `a cover and one page per group at least (${pages} pages)`);
      await page.screenshot({ path: path.join(SCREENS, 'issue-print.png'), fullPage: true });

      await page.goto(server.url + '/documents/lzb-2021-18/');
      const doc = await page.evaluate(() => ({
        nav: getComputedStyle(document.querySelector('.main-nav')).display,
        tools: getComputedStyle(document.querySelector('.a11y-tools')).display,
        address: getComputedStyle(document.querySelector('.relations a'), '::after').content,
        meta: getComputedStyle(document.querySelector('.meta-box a'), '::after').content,
      }));
      assert.equal(doc.nav, 'none');
      assert.equal(doc.tools, 'none');
      assert.match(doc.address, /\/documents\//);
      assert.equal(doc.meta, 'none', 'no addresses inside the metadata box');
      await page.pdf({ format: 'A4', path: path.join(PRINT, 'document.pdf') });
      await page.screenshot({ path: path.join(SCREENS, 'document-print.png'), fullPage: true });
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  });

  test('no request left 127.0.0.1 and no page reported an error', () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(errors, []);
  });
});
