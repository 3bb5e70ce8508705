// The "no entry below another" rule of core/manifest-rules.ts walks each folder once per manifest (issue 22) instead
// of every parent of every path: it must refuse exactly what the rule written out plainly here refuses, naming the
// same outermost shipped folder, whatever the order of the entries, on generated manifests of files and symlinks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertManifestRules } from '../../src/core/manifest-rules.js';
import type { Entry } from '../../src/core/model.js';
import { UpdateError } from '../../src/core/errors.js';

const file: Entry = { kind: 'file', sha256: 'a'.repeat(64), size: 1, mode: '0644' };
const link: Entry = { kind: 'symlink', target: 'x' };

/** The rule as DESIGN.md states it: each path's parents, outermost first; the first one the manifest ships. */
function plainRule(files: Record<string, Entry>): string[] {
  const out: string[] = [];
  for (const p of Object.keys(files)) {
    const segs = p.split('/');
    for (let i = 1; i < segs.length; i++) {
      const parent = segs.slice(0, i).join('/');
      if (Object.hasOwn(files, parent)) {
        out.push(`"${p}" is inside "${parent}", which the manifest ships as a ${files[parent].kind}`);
        break;
      }
    }
  }
  return out;
}

function problems(files: Record<string, Entry>): string[] {
  try {
    assertManifestRules(files, 'm');
    return [];
  } catch (err) {
    assert.instance(err, UpdateError);
    const e = err as UpdateError;
    return (e.detail ?? e.message.replace(/^m: /, '').replace(/ \(and \d+ more\)$/, '')).split('\n');
  }
}

test('entries inside shipped files and symlinks: refused as the plain rule refuses them, in any order', () => {
  const cases: Record<string, Entry>[] = [
    { 'a/b/c': file, 'a/b': file },
    { 'a/b': file, 'a/b/c': file },
    { 'a/b/c/d': file, a: link, 'a/x': file },
    { 'x/y': file, 'x/z': file, 'q/r/s': file, 'q/r': link, 'q/t': file },
    { lib: file, 'lib/a.jar': file, 'lib/b.jar': file, 'lib/c/d.jar': file },
  ];
  // Generated: paths over a small alphabet of folders, so that files and folders collide often.
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  for (let n = 0; n < 300; n++) {
    const files: Record<string, Entry> = {};
    for (let k = 0; k < 12; k++) {
      const depth = 1 + (next() % 4);
      const p = Array.from({ length: depth }, () => 'abc'[next() % 3]).join('/');
      files[p] = next() % 5 === 0 ? link : file;
    }
    cases.push(files);
  }
  let refused = 0;
  for (const files of cases) {
    const want = plainRule(files);
    assert.equal(problems(files).slice(0, 20), want.slice(0, 20), JSON.stringify(Object.keys(files)));
    if (want.length > 0) refused += 1;
  }
  assert.ok(refused >= 10 && refused < cases.length - 100, `${refused} of ${cases.length} refused: the cases must cover both outcomes`);
});

test.run();
