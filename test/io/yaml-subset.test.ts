// The subset YAML reader against yaml itself: on every input it either declines (null) or reads exactly what yaml
// reads, and it does read what publish writes. Generated documents use publish's own stringify options and a pool
// of strings that YAML treats specially (numbers, null, booleans, dates, indicators, quotes, comments, newlines).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseYamlSubset } from '../../src/io/yaml-subset.js';
import { ROOT } from '../helpers/tmp.js';

const TRICKY = ['', ' ', 'a', '1', '1.10', '007', '0x1F', '0o17', '1e3', '.5', '+1', '-1', 'true', 'True', 'no', 'yes', 'null',
  '~', 'NaN', '.nan', '.inf', '-.inf', '2024-01-15', '12:30', 'a: b', 'a:b', 'a #b', 'a#b', '#a', '- a', '-a', '? a', '[a]', '{a}',
  'a, b', "it's", 'say "hi"', '"q"', "'s'", 'a\nb', 'a\n\nb\n', 'a\tb', ' lead', 'trail ', 'ünïcödé ☃ 😀', '\u2028', 'x\\y', '\\', '%a',
  '@a', '`a', '!a', '&a', '*a', '|', '>', 'a:', 'http://x', 'C:\\x', 'a  b', '1_000', '0b101', '123456789012345678', '-', '---',
  '...', 'a ... b', '=', '<<', 'repository/deployment/server/webapps/api#app0.war', 'lib/org.wso2.carbon_4.9.0.jar'];
const KEYS = ['title', 'id', 'true', 'null', 'a-b', 'x_y', 'level'];

/** Deterministic: mulberry32. */
function rng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sameAsYaml(text: string, what: string): boolean {
  const fast = parseYamlSubset(text);
  if (fast === null) return false;
  assert.equal(fast, parse(text, { version: '1.2' }), `${what}:\n${text}`);
  return true;
}

test('whatever it accepts of generated documents (publish options), it reads as yaml does', () => {
  const r = rng(7);
  const pick = <T>(xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const list = (n: number) => Array.from({ length: Math.floor(r() * n) }, () => pick(TRICKY));
  let accepted = 0;
  for (let i = 0; i < 3000; i++) {
    const doc: Record<string, unknown> = {
      level: Math.floor(r() * 20), date: pick(['2024-01-15', pick(TRICKY)]), title: pick(TRICKY), description: pick(TRICKY),
      fixes: Array.from({ length: Math.floor(r() * 3) }, () => ({ id: pick(TRICKY), title: pick(TRICKY) })),
      securityAdvisories: Array.from({ length: Math.floor(r() * 2) }, () => ({ id: pick(TRICKY), severity: 'high', title: pick(TRICKY) })),
      changes: { added: list(4), modified: list(3), removed: list(2) },
    };
    if (r() < 0.3) doc[pick(KEYS)] = r() < 0.5 ? { [pick(KEYS)]: pick(TRICKY) } : list(3);
    if (sameAsYaml(stringify(doc, { version: '1.2', lineWidth: 0 }), `document ${i}`)) accepted += 1;
  }
  assert.ok(accepted > 300, `only ${accepted} of 3000 taken by the fast reader`);
});

test('ordinary descriptors as publish writes them are read by the subset reader', () => {
  const doc = { level: 3, date: '2024-03-01', title: 'Security update', description: 'Fixes a CVE in the gateway.',
    fixes: [{ id: 'WSO2-1', title: 'A fix' }], securityAdvisories: [{ id: 'WSO2-2024-1', severity: 'critical', title: 'XSS' }],
    changes: { added: ['lib/a.jar', 'repository/deployment/server/webapps/api#app0.war'], modified: [], removed: ['bin/old.sh'] } };
  assert.ok(sameAsYaml(stringify(doc, { version: '1.2', lineWidth: 0 }), 'ordinary'));
});

test('hand-written YAML outside the subset is declined, never misread', () => {
  const texts = [
    'a: 1\n', 'a: 1.10\n', 'a: null\n', 'a:\n', 'a: ~\n', 'a: yes\n', 'a: [1, 2]\n', 'a: {b: c}\n', 'a: &x 1\nb: *x\n', 'a: !!str 1\n',
    'a: b # c\n', '# c\na: b\n', 'a: |\n  x\n', 'a: >\n  x\n', 'a: "x\n  y"\n', 'a: x\n  y\n', 'a:\n- b\n', 'a:\n  - b\n  -  c\n',
    '---\na: b\n', '%YAML 1.2\n---\na: b\n', 'a: b\na: c\n', '__proto__: x\n', '- a\n', 'a: "\\x41"\n', "a: 'it''s'\n", 'a: "\\u263a"\n',
    'a:\n  - b: c\n    d: e\n  - f\n', 'a:\n  - b: c\n   d: e\n', 'a:\r\n  b: c\r\n', 'a:\tb\n', '\ufeffa: b\n', 'a: b \n', 'a: -1\n',
    'a:\n    - x\n  b: y\n', 'a:\n  b: c\n d: e\n', '', '\n\n', 'a: 12:30\n', 'a: 2024-01-15\n', 'true: x\nnull: y\n', 'a: []\nb: {}\n',
  ];
  for (const t of texts) {
    let yamlValue: unknown;
    try {
      yamlValue = parse(t, { version: '1.2' });
    } catch {
      assert.is(parseYamlSubset(t), null, `yaml refuses ${JSON.stringify(t)}, so must the subset reader`);
      continue;
    }
    const fast = parseYamlSubset(t);
    if (fast !== null) assert.equal(fast, yamlValue, JSON.stringify(t));
  }
});

test('the repository fixtures: every YAML file is read as yaml reads it, or declined', () => {
  const walk = (d: string): string[] => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : n.endsWith('.yaml') ? [join(d, n)] : []));
  const files = walk(join(ROOT, 'fixtures'));
  assert.ok(files.length > 0);
  for (const f of files) sameAsYaml(readFileSync(f, 'utf8'), f);
});

test.run();
