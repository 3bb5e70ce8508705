// parseManifestOver (io/validate.ts) checks a manifest against one already checked, looking again only at the entries
// the two ship differently (issue 22: plan's first full check of the target cost 53 ms of 61). It must give exactly
// what the full check (parseJsonFile) gives on the same text: the same value and twin warnings, or the same error,
// whatever the target changes, adds or removes, hostile entries included. Generated pairs and named attacks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UpdateError, type Diagnostic } from '../../src/core/errors.js';
import type { Entry, Manifest } from '../../src/core/model.js';
import { parseJsonFile, parseManifestOver } from '../../src/io/validate.js';

const FILE = 'repo/products/p-1.0.0/levels/0001/manifest.json';
const sha = (n: number) => n.toString(16).padStart(64, '0');
const file = (n: number, mode = '0644'): Entry => ({ kind: 'file', sha256: sha(n), size: n, mode });
const manifest = (files: Record<string, unknown>, level = 1): Record<string, unknown> => ({ formatVersion: 1, product: 'p-1.0.0', level, files });

type Outcome = { ok: true; value: unknown; warnings: string[] } | { ok: false; code: string; message: string; detail?: string };

function outcome(read: (warnings: Diagnostic[]) => unknown): Outcome {
  const warnings: Diagnostic[] = [];
  try {
    const value = read(warnings);
    return { ok: true, value: JSON.parse(JSON.stringify(value)), warnings: warnings.map((w) => `${w.summary} / ${w.hint}`) };
  } catch (err) {
    if (!(err instanceof UpdateError)) throw err;
    return { ok: false, code: err.code, message: err.message, detail: err.detail };
  }
}

const full = (text: string) => outcome((w) => parseJsonFile<Manifest>(text, FILE, 'manifest', w));
const over = (text: string, base: Manifest) => outcome((w) => parseManifestOver(text, FILE, base, w));

/** A base known good: the full check passes it. */
function checked(files: Record<string, unknown>): Manifest {
  return parseJsonFile<Manifest>(JSON.stringify(manifest(files, 0)), 'base', 'manifest', []);
}

function same(text: string, base: Manifest, label: string): Outcome {
  const want = full(text);
  assert.equal(over(text, base), want, label);
  return want;
}

// Deterministic pseudo-random numbers (mulberry32): a failure names its seed and can be replayed.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Segments chosen to collide: case and normalization twins, integer-like keys, the prototype's name, runtime and
// tool paths, names the path rules refuse.
const SEGMENTS = ['a', 'A', 'b', 'conf', 'x.xml', 'X.xml', '7', '12', '__proto__', 'caf\u00e9', 'cafe\u0301', 'updates', 'logs', 'wso2carbon.pid', '..', '.hidden', 'c:', ''];
const TARGETS = ['x', '../x', 'a/b', '../../../../etc/passwd', '/abs', 'c\\d'];
const MODES = ['0644', '0644', '0755', '0777', '644'];

function randomPath(r: () => number, hostile: boolean): string {
  const n = 1 + Math.floor(r() * 3);
  const pool = hostile ? SEGMENTS : SEGMENTS.slice(0, 10);
  return Array.from({ length: n }, () => pool[Math.floor(r() * pool.length)]).join('/');
}

function randomEntry(r: () => number, hostile: boolean): unknown {
  const x = r();
  if (hostile && x < 0.06) return [null, [], 'file', { kind: 'dir' }, { kind: 'file', sha256: 'xyz', size: 1, mode: '0644' }, { kind: 'file', sha256: sha(1), size: -1, mode: '0644' }][Math.floor(r() * 6)];
  if (hostile && x < 0.1) return { ...file(Math.floor(r() * 5)), extra: 1 };
  if (x < 0.8) return file(Math.floor(r() * 5), hostile ? MODES[Math.floor(r() * MODES.length)] : r() < 0.8 ? '0644' : '0755');
  return { kind: 'symlink', target: hostile ? TARGETS[Math.floor(r() * TARGETS.length)] : 'x' };
}

test('generated bases and targets: the check over the base gives exactly what the full check gives', () => {
  let [accepted, refused, bases] = [0, 0, 0];
  for (let seed = 1; seed <= 1500; seed++) {
    const r = rng(seed);
    const files: Record<string, unknown> = {};
    for (let i = 0; i < 4 + r() * 12; i++) files[randomPath(r, false)] = randomEntry(r, false);
    let base: Manifest;
    try {
      base = checked(files);
    } catch {
      continue; // a generated base that fails its own check (a file below a file): not a base
    }
    bases += 1;
    const target: Record<string, unknown> = {};
    for (const [p, e] of Object.entries(base.files)) {
      const x = r();
      if (x < 0.15) continue; // removed
      target[p] = x < 0.3 ? randomEntry(r, r() < 0.3) : { ...e }; // changed, or shipped alike (a copy, never the base's object)
    }
    for (let i = 0; i < r() * 4; i++) target[randomPath(r, r() < 0.2)] = randomEntry(r, r() < 0.2);
    const m = manifest(target);
    if (r() < 0.05) m.level = -1;
    if (r() < 0.05) m.extra = true;
    let text = JSON.stringify(m);
    if (r() < 0.05) text = text.replace('"files":{', `"files":{"${Object.keys(target)[0] ?? 'a'}":${JSON.stringify(file(1))},`); // a duplicate key
    const want = same(text, base, `seed ${seed}`);
    if (want.ok) accepted += 1;
    else refused += 1;
  }
  assert.ok(bases > 500 && accepted > 150 && refused > 150, `too few cases of each kind: ${bases} bases, ${accepted} accepted, ${refused} refused`);
});

test('a new file where the base had a folder: the unchanged entries below it are refused, as in full', () => {
  const base = checked({ 'lib/a.jar': file(1), 'lib/sub/b.jar': file(2), 'conf/x.xml': file(3) });
  const o = same(JSON.stringify(manifest({ 'lib/a.jar': file(1), 'lib/sub/b.jar': file(2), 'conf/x.xml': file(3), lib: file(4) })), base, 'file over folder');
  assert.ok(!o.ok && /"lib\/a\.jar" is inside "lib", which the manifest ships as a file/.test(o.message), JSON.stringify(o));
  const l = same(JSON.stringify(manifest({ 'lib/sub/b.jar': file(2), 'lib/sub': { kind: 'symlink', target: 'x' } })), base, 'symlink over folder');
  assert.ok(!l.ok && /inside "lib\/sub", which the manifest ships as a symlink/.test(l.message), JSON.stringify(l));
  // The folder's name sorts before entries that are not below it ("lib-x" < "lib/"): found all the same.
  const sorted = same(JSON.stringify(manifest({ lib: file(4), 'lib-x': file(5), 'lib.y': file(6), 'lib/a.jar': file(1) })), base, 'sorted neighbours');
  assert.not.ok(sorted.ok);
});

test('an entry shipped "alike" but with one more field, or another type, is checked and refused', () => {
  const base = checked({ 'lib/a.jar': file(1), 'bin/run.sh': { kind: 'symlink', target: 'x' } });
  for (const [label, entry] of [
    ['extra field', { ...file(1), extra: 'x' }],
    ['size as a string', { ...file(1), size: '1' }],
    ['an array', [file(1)]],
    ['null', null],
  ] as const) {
    const o = same(JSON.stringify(manifest({ 'lib/a.jar': entry, 'bin/run.sh': { kind: 'symlink', target: 'x' } })), base, label);
    assert.not.ok(o.ok, label);
  }
  const link = same(JSON.stringify(manifest({ 'lib/a.jar': file(1), 'bin/run.sh': { kind: 'symlink', target: 'x', mode: '0644' } })), base, 'symlink with a mode');
  assert.not.ok(link.ok);
});

test('twins with unchanged paths, integer-like and __proto__ paths: the same warnings and value as in full', () => {
  const base = checked({ 'lib/Readme.txt': file(1), 'caf\u00e9/x': file(2), '7': file(3), 'a/b': file(4) });
  const text = JSON.stringify(manifest({ 'lib/Readme.txt': file(1), 'caf\u00e9/x': file(2), '7': file(3), 'a/b': file(4), 'lib/README.TXT': file(5), 'cafe\u0301/x': file(6), '3': file(7), ['__proto__']: file(8) }));
  const o = same(text, base, 'twins');
  assert.ok(o.ok && o.warnings.length === 2, JSON.stringify(o));
  assert.ok(o.ok && Object.hasOwn((o.value as Manifest).files, '__proto__'), '__proto__ stays an entry');
  // A removed-and-renamed path ('7' gone, '07' new) and a path the base shipped as a file now a folder's parent.
  const moved = same(JSON.stringify(manifest({ '07': file(3), 'a/b': file(4), 'a/b/c': file(9) })), base, 'renamed, file turned folder');
  assert.not.ok(moved.ok);
});

test('hostile top level or files: refused with the full check\'s own message', () => {
  const base = checked({ 'lib/a.jar': file(1) });
  for (const text of [
    '[]', 'null', '{"formatVersion":1,"product":"p-1.0.0","level":1,"files":[]}',
    '{"formatVersion":1,"product":"p-1.0.0","level":1,"files":{"lib/a.jar":{"kind":"file","sha256":"' + sha(1) + '","size":1,"mode":"0644"},"lib/a.jar":{"kind":"file","sha256":"' + sha(2) + '","size":2,"mode":"0644"}}}',
    JSON.stringify({ ...manifest({ 'lib/a.jar': file(1) }), product: 'p' }),
    JSON.stringify(manifest({ 'lib/a.jar': file(1), 'updates/x': file(2) })),
    JSON.stringify(manifest({ 'lib/a.jar': file(1), '../x': file(2) })),
    JSON.stringify(manifest({ 'lib/a.jar': file(1), 'lib/b.jar': file(2, '0777') })),
    JSON.stringify(manifest({ 'lib/a.jar': file(1), 'lib/l': { kind: 'symlink', target: '../../x' } })),
  ]) {
    const o = same(text, base, text.slice(0, 80));
    assert.not.ok(o.ok, text.slice(0, 80));
  }
});

test.run();
