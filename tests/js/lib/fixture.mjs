// Reads the search fixture site (tests/fixtures/search/site) into SearchDocs, the way the site
// build would fill them (status as of a date, labels from gazette.toml, plain-text body), so that
// the node tests can index it with examples/search_dump.rs before or without `gazette build`.
// It understands only the YAML and TOML that the fixture uses.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './rust.mjs';

export const SITE = path.join(ROOT, 'tests/fixtures/search/site');
export const AS_OF = '2026-06-30';

export const STATUS_LABELS = {
  in_force: '现行有效', amended: '已修改', repealed: '已废止', expired: '已失效', not_yet_effective: '尚未施行',
};

function frontMatter(text) {
  const [, yaml, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
  const data = {};
  let list = null;
  for (const line of yaml.split('\n')) {
    const item = line.match(/^\s+-\s+(.*)$/);
    if (item) {
      list.push(item[1]);
      continue;
    }
    const [, key, value] = line.match(/^([a-z_]+):\s*(.*)$/);
    if (value === '') {
      list = data[key] = [];
    } else {
      data[key] = value;
    }
  }
  return { data, body };
}

function plainText(markdown) {
  return markdown
    .split('\n')
    .map((line) => line.replace(/^#+\s+/, '').replace(/^[-*]\s+/, '').trim())
    .filter((line) => line !== '')
    .join('\n');
}

function kindLabels(toml) {
  const labels = {};
  let kind = null;
  for (const line of toml.split('\n')) {
    const table = line.match(/^\[kinds\.([a-z_]+)\]/);
    if (table) kind = table[1];
    else if (/^\[/.test(line)) kind = null;
    const label = line.match(/^label\s*=\s*"(.*)"/);
    if (kind && label) labels[kind] = label[1];
  }
  return labels;
}

/** The fixture's documents as SearchDocs, in file name order. */
export function fixtureDocs(site = SITE, asOf = AS_OF) {
  const labels = kindLabels(fs.readFileSync(path.join(site, 'gazette.toml'), 'utf8'));
  const dir = path.join(site, 'content/documents');
  const parsed = fs.readdirSync(dir).filter((f) => f.endsWith('.md')).sort()
    .map((f) => frontMatter(fs.readFileSync(path.join(dir, f), 'utf8')));
  const effective = (d) => d.data.effective || d.data.published;
  const byActive = (key, id) => parsed.some((other) => (other.data[key] || []).includes(id) && effective(other) <= asOf);
  return parsed.map(({ data, body }) => {
    let status = 'in_force';
    if (byActive('repeals', data.id)) status = 'repealed';
    else if (data.expires && asOf > data.expires) status = 'expired';
    else if (asOf < effective({ data })) status = 'not_yet_effective';
    else if (byActive('amends', data.id)) status = 'amended';
    const issuers = Array.isArray(data.issuer) ? data.issuer : [data.issuer];
    return {
      id: data.id,
      title: data.title,
      doc_number: data.doc_number || null,
      issuers,
      body: plainText(body),
      summary: data.summary || null,
      published: data.published,
      year: Number(data.published.slice(0, 4)),
      status,
      status_label: STATUS_LABELS[status],
      kind: data.kind,
      kind_label: labels[data.kind],
      url: `/documents/${data.id}/`,
    };
  });
}
