// Accessibility of the default theme in a real headless Chromium: axe-core (WCAG 2.1 A and AA
// rules) finds no violation on a page of every type (tests/js/lib/theme-site.mjs PAGES) in each
// reading mode: normal, large text (字号 大), high contrast and the system's dark scheme. The skip
// link, visible focus and the reading preferences (字号 大/中/小, 高对比度) work with JavaScript
// (remembered across pages) and without it (CSS :target, current page only). No request leaves
// 127.0.0.1 and no page reports a script error or a CSP violation.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { launch, haveChromium } from './lib/chromium.mjs';
import { ROOT, PAGES, MODES, buildSample, haveGazette, setMode, watchErrors, watchRequests } from './lib/theme-site.mjs';

const AXE = path.join(ROOT, 'node_modules/axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const skip = !haveGazette() ? 'gazette binary not built (cargo build)' : !haveChromium() ? 'no Chromium' : false;

// axe.min.js goes in as an inline <script>, which the pages' strict CSP rightly refuses: the page
// that runs axe has CSP bypassed through the DevTools protocol. Every page is also opened in a
// page that enforces CSP, where any violation is a console error and fails the last test.
async function axe(page) {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    TAGS,
  );
  return result.violations;
}

function report(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes
      .slice(0, 5)
      .map((n) => `    ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`)
      .join('\n')}`)
    .join('\n');
}

describe('theme accessibility', { skip }, () => {
  let site;
  let server;
  let browser;
  let page;
  let axePage;
  let outside;
  let errors;

  before(async () => {
    site = buildSample();
    server = await serve(site.out);
    browser = await launch();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    outside = watchRequests(page);
    errors = watchErrors(page);
    axePage = await browser.context.newPage();
    await axePage.setViewportSize({ width: 1280, height: 900 });
    const cdp = await browser.context.newCDPSession(axePage);
    await cdp.send('Page.setBypassCSP', { enabled: true });
    outside = watchRequests(axePage, outside);
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) await server.close();
    if (site) site.cleanup();
  });

  for (const mode of MODES) {
    test(`axe: no WCAG 2.1 A/AA violation on any page type, ${mode[0]}`, { timeout: 300_000 }, async () => {
      await setMode(page, server.url, mode);
      await setMode(axePage, server.url, mode);
      const found = [];
      for (const [, url] of PAGES) {
        await page.goto(server.url + url);
        await axePage.goto(server.url + url);
        const violations = await axe(axePage);
        if (violations.length) found.push(`${url}\n${report(violations)}`);
      }
      assert.deepEqual(found, [], found.join('\n'));
    });
  }

  test('reading preferences with JavaScript: 字号 大/中/小 applied at once, remembered on the next page', async () => {
    await setMode(page, server.url, MODES[0]);
    await page.goto(server.url + '/');
    const size = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    const button = (pref) => page.locator(`.a11y-tools [data-pref="${pref}"]`);
    assert.equal(await size(), '16px');
    const labels = await page.evaluate(() => [...document.querySelectorAll('.a11y-tools .tool')].map((e) => e.firstChild.textContent));
    assert.deepEqual(labels, ['大', '中', '小', '高对比度']);
    assert.equal(await button('large').getAttribute('role'), 'button');
    assert.equal(await button('normal').getAttribute('aria-pressed'), 'true', '中 is the standard size');
    await button('large').click();
    assert.equal(await size(), '20px');
    assert.equal(new URL(page.url()).hash, '', 'the click does not navigate');
    assert.equal(await button('large').getAttribute('aria-pressed'), 'true');
    assert.equal(await button('normal').getAttribute('aria-pressed'), 'false');
    await button('small').focus();
    await page.keyboard.press('Space');
    assert.equal(await size(), '14px');
    await button('large').click();
    await button('contrast').click();
    assert.equal(await button('contrast').getAttribute('aria-pressed'), 'true');
    // The change is announced to screen readers (the message is set a moment later, on purpose).
    await page.waitForFunction(() => /高对比度/.test(document.getElementById('pref-status').textContent), null, { timeout: 5000 });

    await page.goto(server.url + '/documents/lzb-2021-18/');
    assert.equal(await size(), '20px', 'text size remembered');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(0, 0, 0)', 'high contrast remembered');
    await page.setViewportSize({ width: 360, height: 800 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `no sideways scroll at 360 px with large text (${wide}px too wide)`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test('reading preferences reset with 中 and 高对比度 again', async () => {
    await page.goto(server.url + '/');
    await page.locator('[data-pref="normal"]').click();
    await page.locator('[data-pref="contrast"]').click();
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.className.trim()), 'js-prefs');
  });

  test('the dark scheme follows the system, and high contrast still wins over it', async () => {
    await setMode(page, server.url, MODES[3]);
    await page.goto(server.url + '/');
    const colours = () => page.evaluate(() => [getComputedStyle(document.body).backgroundColor, getComputedStyle(document.body).color]);
    assert.deepEqual(await colours(), ['rgb(18, 20, 23)', 'rgb(233, 233, 231)']);
    await page.locator('[data-pref="contrast"]').click();
    assert.deepEqual(await colours(), ['rgb(0, 0, 0)', 'rgb(255, 255, 255)']);
    await setMode(page, server.url, MODES[0]);
  });

  test('reading preferences without JavaScript: plain links, applied by CSS :target', async () => {
    const nojs = await browser.context.newPage();
    await nojs.route('**/*.js', (route) => route.abort());
    await nojs.goto(server.url + '/documents/lzb-2021-18/');
    const size = () => nojs.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    assert.equal(await size(), '16px');
    await nojs.locator('.a11y-tools a', { hasText: '大' }).click();
    assert.equal(new URL(nojs.url()).hash, '#text-large');
    assert.equal(await size(), '20px');
    await nojs.locator('.a11y-tools a', { hasText: '小' }).click();
    assert.equal(await size(), '14px');
    await nojs.locator('.a11y-tools a', { hasText: '高对比度' }).click();
    assert.equal(await nojs.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(0, 0, 0)');
    await nojs.locator('.a11y-tools a', { hasText: '中' }).click();
    assert.equal(await size(), '16px');
    assert.equal(await nojs.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
    // Without JavaScript there is nothing to print with: the button stays hidden.
    assert.equal(await nojs.locator('[data-print]').isVisible(), false);
    await nojs.close();
  });

  test('the skip link comes first, shows on focus and moves focus to <main>', async () => {
    await page.goto(server.url + '/documents/lzb-2021-18/');
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const a = document.activeElement;
      const r = a.getBoundingClientRect();
      return { cls: a.className, w: r.width, h: r.height, bg: getComputedStyle(a).backgroundColor };
    });
    assert.equal(focused.cls, 'skip-link');
    assert.ok(focused.w >= 44 && focused.h >= 44, `skip link visible when focused: ${JSON.stringify(focused)}`);
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  });

  test('keyboard focus is visible on links and buttons', async () => {
    await page.goto(server.url + '/');
    const styles = async (sel) => page.locator(sel).first().evaluate((el) => {
      const s = getComputedStyle(el);
      return `${s.backgroundColor}|${s.boxShadow}|${s.outlineStyle}|${s.outlineColor}`;
    });
    for (const sel of ['.main-nav a', '.doc-title', '.a11y-tools .tool', '.home-search button', '.home-search input']) {
      const before = await styles(sel);
      await page.locator(sel).first().focus();
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Tab'); // focus by keyboard, so :focus-visible applies
      const after = await styles(sel);
      assert.notEqual(after, before, `${sel}: focus changes its look`);
    }
  });

  test('no request left 127.0.0.1 and no page reported an error', () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(errors, []);
  });
});
