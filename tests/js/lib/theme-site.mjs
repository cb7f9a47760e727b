// The sample site as the theme tests see it: built by the real `gazette build` into a temporary
// folder, plus the pages every theme test looks at and a guard that no request leaves 127.0.0.1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const GAZETTE = path.resolve(ROOT, process.env.GAZETTE_BIN || 'target/debug/gazette');
export const AS_OF = '2026-06-30';

/** One page of every type the site has: [name, URL]. Screenshots and axe go over all of them. */
export const PAGES = [
  ['home', '/'],
  ['document', '/documents/lzb-2021-18/'],
  ['document-repealed', '/documents/lzb-2020-6/'],
  ['document-attachments', '/documents/zfxxgk-ndbg-2024/'],
  ['interpretation', '/documents/jd-lzb-2021-18/'],
  ['issue', '/gazette/2025/06/'],
  ['gazette', '/gazette/'],
  ['gazette-year', '/gazette/2025/'],
  ['directory', '/issuers/'],
  ['list', '/issuers/lysrmzfbgs/'],
  ['filings', '/filings/'],
  ['cleanups', '/cleanups/'],
  ['page', '/pages/about/'],
  ['search', '/search/'],
  ['data', '/data/'],
  ['sitemap', '/sitemap/'],
  ['not-found', '/404.html'],
];

/**
 * The reading modes every page is checked in: what prefs.js keeps in localStorage, and the
 * colour scheme the system asks for.
 */
export const MODES = [
  ['normal', {}, 'light'],
  ['large-text', { 'gazette.textSize': 'text-large' }, 'light'],
  ['high-contrast', { 'gazette.contrast': 'high' }, 'light'],
  ['dark', {}, 'dark'],
];

/** Puts `page` (of the site at `origin`) in a reading mode of MODES, for the pages it opens next. */
export async function setMode(page, origin, [, storage, scheme]) {
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(origin + '/404.html');
  await page.evaluate((s) => {
    localStorage.clear();
    for (const [k, v] of Object.entries(s)) localStorage.setItem(k, v);
  }, storage);
}

/** Whether the gazette binary exists (tests skip with a message when it does not). */
export function haveGazette() {
  return fs.existsSync(GAZETTE);
}

/**
 * Builds the sample site (the repository root) into a fresh temporary folder and returns it.
 * `pageSize` builds a copy of the site with a smaller `page_size`, so lists get a pager.
 */
export function buildSample({ pageSize } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gazette-theme-'));
  let root = ROOT;
  if (pageSize) {
    root = path.join(tmp, 'site');
    fs.mkdirSync(root);
    for (const entry of ['content', 'themes', 'templates', 'static']) {
      const from = path.join(ROOT, entry);
      if (fs.existsSync(from)) fs.cpSync(from, path.join(root, entry), { recursive: true });
    }
    const toml = fs.readFileSync(path.join(ROOT, 'gazette.toml'), 'utf8');
    fs.writeFileSync(path.join(root, 'gazette.toml'), toml.replace(/^page_size\s*=.*$/m, `page_size = ${pageSize}`));
  }
  const out = path.join(tmp, 'public');
  execFileSync(GAZETTE, ['build', '--root', root, '--output', out, '--as-of', AS_OF, '--quiet'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return { out, cleanup: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

/** Every .html file under `dir`, as paths relative to it (sorted). */
export function htmlFiles(dir) {
  return fs
    .readdirSync(dir, { recursive: true })
    .filter((f) => f.endsWith('.html'))
    .sort();
}

/** Records every request a page makes that does not go to 127.0.0.1 into `outside` (returned). */
export function watchRequests(page, outside = []) {
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return; // data:, about:
    if (url.hostname !== '127.0.0.1') outside.push(r.url());
  });
  return outside;
}

/** Problems a page reports itself: script errors and console errors (CSP violations among them). */
export function watchErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon\.ico/.test(m.location().url || '')) errors.push(`console: ${m.text()}`);
  });
  return errors;
}
