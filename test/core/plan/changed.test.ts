// changedPaths against the plain definition (every path either level ships whose entries differ, in path order):
// for manifests whose keys come in canonical order (the merge walk) and in any other order (built in memory, paths
// that read as integers, which JSON.parse puts first, a "__proto__" path), over random pairs from a seeded generator.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../../src/core/canonical.js';
import type { Entry, Manifest } from '../../../src/core/model.js';
import { sameEntry } from '../../../src/core/pack-compare.js';
import { comparePaths } from '../../../src/core/paths.js';
import { changedPaths } from '../../../src/core/plan/planner.js';

/** The definition, with no ordering assumption at all. */
function expected(b: Manifest, t: Manifest): string[] {
  const all = new Set([...Object.keys(b.files), ...Object.keys(t.files)]);
  const get = (m: Manifest, p: string) => (Object.hasOwn(m.files, p) ? m.files[p] : undefined);
  return [...all].filter((p) => {
    const [x, y] = [get(b, p), get(t, p)];
    return x === undefined || y === undefined || !sameEntry(x, y);
  }).sort(comparePaths);
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}

const NAMES = ['a', 'a/b', 'a/b.jar', 'a-b', 'a0', 'B', 'b/c', 'lib/x.jar', 'lib/y.jar', 'conf/z.xml', '1', '10', '2', '007', 'z', 'é', '__proto__', 'constructor'];
const SHAS = ['1'.repeat(64), '2'.repeat(64)];

function entryOf(r: () => number): Entry {
  const x = r();
  if (x < 0.15) return { kind: 'symlink', target: r() < 0.5 ? 'a' : 'b' };
  return { kind: 'file', sha256: SHAS[Math.floor(r() * 2)], size: r() < 0.5 ? 1 : 2, mode: r() < 0.8 ? '0644' : '0755' };
}

function filesOf(r: () => number): Record<string, Entry> {
  const files: Record<string, Entry> = {};
  for (const n of NAMES) if (r() < 0.6) Object.defineProperty(files, n, { value: entryOf(r), enumerable: true, writable: true, configurable: true });
  return files;
}

const manifestOf = (files: Record<string, Entry>): Manifest => ({ formatVersion: 1, product: 'p', level: 0, files });
/** As a published manifest reaches the planner: canonical JSON, parsed. */
const published = (files: Record<string, Entry>): Manifest => JSON.parse(canonicalJson(manifestOf(files))) as Manifest;
/** Built in memory in another order: reversed insertion. */
function shuffled(files: Record<string, Entry>): Manifest {
  const out: Record<string, Entry> = {};
  for (const k of Object.keys(files).reverse()) Object.defineProperty(out, k, { value: files[k], enumerable: true, writable: true, configurable: true });
  return manifestOf(out);
}

test('equals the definition for 2,000 random pairs, in canonical order and in any other', () => {
  const r = rng(22);
  for (let i = 0; i < 2000; i++) {
    const [fb, ft] = [filesOf(r), filesOf(r)];
    if (r() < 0.5) for (const k of Object.keys(fb)) if (r() < 0.7 && Object.hasOwn(ft, k)) ft[k] = fb[k]; // mostly unchanged, like an update
    for (const [b, t, how] of [[published(fb), published(ft), 'published'], [shuffled(fb), shuffled(ft), 'shuffled'], [published(fb), shuffled(ft), 'mixed']] as const) {
      assert.equal(changedPaths(b, t), expected(b, t), `pair ${i} (${how})`);
    }
  }
});

test('a path only one level ships, at either end of the order, and equal levels', () => {
  const f = (s: string): Entry => ({ kind: 'file', sha256: s.repeat(64), size: 1, mode: '0644' });
  const b = published({ a: f('1'), m: f('1') });
  const t = published({ m: f('1'), z: f('2') });
  assert.equal(changedPaths(b, t), ['a', 'z']);
  assert.equal(changedPaths(t, b), ['a', 'z']);
  assert.equal(changedPaths(b, b), []);
  assert.equal(changedPaths(published({}), t), ['m', 'z']);
});

test.run();
