// Every HTML page of the sample site, checked as files: the Nu Html Checker (vnu.jar, run once
// over all pages) reports no error; each page declares its language and the strict CSP, has no
// inline script or style, exactly one <h1> and headings that never skip a level.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { ROOT, buildSample, haveGazette, htmlFiles } from './lib/theme-site.mjs';

const VNU = path.join(ROOT, 'node_modules/vnu-jar/build/dist/vnu.jar');
const skip = !haveGazette() ? 'gazette binary not built (cargo build)' : false;

let site;
let files = [];
before(() => {
  if (skip) return;
  site = buildSample();
  files = htmlFiles(site.out);
});
after(() => site && site.cleanup());

test('the Nu Html Checker finds no error on any page', { skip: skip || (!fs.existsSync(VNU) && 'vnu.jar missing (npm ci)'), timeout: 180_000 }, async () => {
  assert.ok(files.length > 50, `expected the whole sample site, got ${files.length} pages`);
  const args = ['-jar', VNU, '--errors-only', '--format', 'json', ...files.map((f) => path.join(site.out, f))];
  let stderr;
  try {
    ({ stderr } = await promisify(execFile)('java', args, { maxBuffer: 64 << 20 }));
  } catch (e) {
    // vnu exits 1 when it finds errors; the report is still on stderr.
    stderr = e.stderr;
    if (!stderr) throw e;
  }
  const { messages } = JSON.parse(stderr);
  const errors = messages.filter((m) => m.type === 'error' || m.subType === 'fatal');
  const report = errors
    .map((m) => `${path.relative(site.out, new URL(m.url).pathname)}:${m.lastLine}: ${m.message}\n    ${m.extract || ''}`)
    .join('\n');
  assert.equal(errors.length, 0, `vnu found ${errors.length} errors in ${files.length} pages:\n${report}`);
});

test('every page: lang, CSP meta, no inline script or style', { skip }, () => {
  for (const f of files) {
    const html = fs.readFileSync(path.join(site.out, f), 'utf8');
    assert.match(html, /<html lang="?zh-CN"?>/, `${f}: lang`);
    assert.match(html, /http-equiv="?Content-Security-Policy"?/i, `${f}: CSP meta`);
    assert.match(html, /default-src 'self'/, `${f}: default-src 'self'`);
    assert.doesNotMatch(html, /<style[\s>]/i, `${f}: <style> element`);
    assert.doesNotMatch(html, /\sstyle=/i, `${f}: style attribute`);
    assert.doesNotMatch(html, /\son[a-z]+=/i, `${f}: event handler attribute`);
    for (const [tag, attrs] of html.matchAll(/<script\b([^>]*)>/gi)) {
      const ok = /\ssrc=/.test(attrs) || /type="?application\/ld\+json"?/.test(attrs);
      assert.ok(ok, `${f}: inline script ${tag}`);
    }
  }
});

test('every page: one <h1>, and headings never skip a level', { skip }, () => {
  const problems = [];
  for (const f of files) {
    const html = fs.readFileSync(path.join(site.out, f), 'utf8');
    const levels = [...html.matchAll(/<h([1-6])[\s>]/g)].map((m) => Number(m[1]));
    if (levels.filter((l) => l === 1).length !== 1 || levels[0] !== 1) problems.push(`${f}: h1 ${levels.join(',')}`);
    levels.forEach((l, i) => {
      if (i > 0 && l > levels[i - 1] + 1) problems.push(`${f}: h${levels[i - 1]} → h${l}`);
    });
  }
  assert.deepEqual(problems, []);
});
