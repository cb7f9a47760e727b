// Accessibility of the default theme in a real headless Chromium: axe-core (WCAG 2.1 A and AA
// rules) finds no violation on the home page, a document, a gazette issue, a directory and the
// search page, in the normal colours and in the high-contrast mode; the skip link, visible focus
// and the reading preferences (A−/A+/高对比度) work with JavaScript (remembered across pages) and
// without it (CSS :target, current page only). No request leaves 127.0.0.1 and no page reports a
// script error or a CSP violation.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serve } from './lib/server.mjs';
import { launch, haveChromium } from './lib/chromium.mjs';
import { ROOT, PAGES, buildSample, haveGazette, watchErrors, watchRequests } from './lib/theme-site.mjs';

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

  for (const [name, url] of PAGES) {
    test(`axe: no WCAG 2.1 A/AA violation on the ${name} page`, async () => {
      await page.goto(server.url + url);
      await axePage.goto(server.url + url);
      const violations = await axe(axePage);
      assert.equal(violations.length, 0, `${url}\n${report(violations)}`);
    });
  }

  test('reading preferences with JavaScript: applied at once, remembered on the next page', async () => {
    await page.goto(server.url + '/');
    const size = () => page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    assert.equal(await size(), '16px');
    const larger = page.locator('.a11y-tools [data-pref="larger"]');
    assert.equal(await larger.getAttribute('role'), 'button');
    await larger.click();
    assert.equal(await size(), '20px');
    assert.equal(new URL(page.url()).hash, '', 'the click does not navigate');
    await larger.focus();
    await page.keyboard.press('Space');
    assert.equal(await size(), '24px');
    assert.equal(await larger.getAttribute('aria-disabled'), 'true', 'largest size reached');
    await page.locator('.a11y-tools [data-pref="contrast"]').click();
    assert.equal(await page.locator('[data-pref="contrast"]').getAttribute('aria-pressed'), 'true');
    // The change is announced to screen readers (the message is set a moment later, on purpose).
    await page.waitForFunction(() => /高对比度/.test(document.getElementById('pref-status').textContent), null, { timeout: 5000 });

    await page.goto(server.url + '/documents/lzb-2021-18/');
    assert.equal(await size(), '24px', 'text size remembered');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(0, 0, 0)', 'high contrast remembered');
    await page.setViewportSize({ width: 360, height: 800 });
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 0, `no sideways scroll at 360 px with the largest text (${wide}px too wide)`);
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  for (const [name, url] of PAGES.filter(([n]) => n !== 'directory')) {
    test(`axe: no violation on the ${name} page in high contrast and large text`, async () => {
      await page.goto(server.url + url); // preferences set by the previous test
      await axePage.goto(server.url + url);
      assert.ok(await axePage.evaluate(() => document.documentElement.classList.contains('contrast-high')));
      const violations = await axe(axePage);
      assert.equal(violations.length, 0, `${url}\n${report(violations)}`);
    });
  }

  test('reading preferences reset with A− and 高对比度 again', async () => {
    await page.goto(server.url + '/');
    await page.locator('[data-pref="smaller"]').click();
    await page.locator('[data-pref="smaller"]').click();
    await page.locator('[data-pref="contrast"]').click();
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.className.trim()), 'js-prefs');
  });

  test('reading preferences without JavaScript: plain links, applied by CSS :target', async () => {
    const nojs = await browser.context.newPage();
    await nojs.route('**/*.js', (route) => route.abort());
    await nojs.goto(server.url + '/documents/lzb-2021-18/');
    const size = () => nojs.evaluate(() => getComputedStyle(document.documentElement).fontSize);
    assert.equal(await size(), '16px');
    await nojs.locator('.a11y-tools a', { hasText: 'A+' }).click();
    assert.equal(new URL(nojs.url()).hash, '#text-large');
    assert.equal(await size(), '20px');
    await nojs.locator('.a11y-tools a', { hasText: '高对比度' }).click();
    assert.equal(await nojs.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(0, 0, 0)');
    await nojs.locator('.a11y-tools a', { hasText: 'A−' }).click();
    assert.equal(await size(), '16px');
    assert.equal(await nojs.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(255, 255, 255)');
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
