// Runs the Rust side of the search (examples/search_dump.rs) for the tests, building it once.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TARGET = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
let built = false;

/** Temporary directories made here, removed when the test process exits. */
const temporary = [];
process.on('exit', () => temporary.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A new temporary directory, removed at exit. */
export function tempDir(prefix = 'gazette-search-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporary.push(dir);
  return dir;
}

/** The search_dump binary (SEARCH_DUMP_BIN, or built with cargo on first use). */
export function searchDump() {
  if (process.env.SEARCH_DUMP_BIN) return process.env.SEARCH_DUMP_BIN;
  if (!built) {
    execFileSync('cargo', ['build', '--quiet', '--example', 'search_dump'], { cwd: ROOT, stdio: 'inherit' });
    built = true;
  }
  return path.join(TARGET, 'debug', 'examples', 'search_dump');
}

/** Rust's answer per text for a `search_dump` text command: tokenize, positions or fold. */
function perText(command, texts) {
  const out = execFileSync(searchDump(), [command], {
    input: JSON.stringify(texts), maxBuffer: 1 << 28,
  });
  return JSON.parse(out.toString());
}

/** Rust's terms for each text. */
export function rustTokenize(texts) {
  return perText('tokenize', texts);
}

/** Rust's [terms, positions] for each text. */
export function rustPositions(texts) {
  return perText('positions', texts);
}

/** Each text folded to simplified characters by Rust (fold.rs). */
export function rustFold(texts) {
  return perText('fold', texts);
}

/** Writes docs to a temp dir and runs `search_dump index`; resolves the output dir. */
export function rustIndex(docs, args = []) {
  const dir = tempDir();
  const input = path.join(dir, 'docs.json');
  fs.writeFileSync(input, JSON.stringify(docs));
  const out = path.join(dir, 'site');
  execFileSync(searchDump(), ['index', input, out, ...args], { stdio: 'inherit' });
  return out;
}

export function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}
