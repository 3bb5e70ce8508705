// The diff under merge3 and unifiedDiff, hunk for hunk against git's own (`git diff --no-index -U0`, Myers,
// no indent heuristic): where hunks land decides whether two sides' edits touch, so positions must be git's.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { splitLines } from '../../src/core/xdiff/prepare.js';
import { diffLines, type Change } from '../../src/core/xdiff/script.js';
import { inFolders } from '../helpers/git.js';
import { randomCase, Rng } from '../helpers/merge-cases.js';

const SCRIPT = `for d in "$@"; do
  git -C "$d" diff --no-index --no-color --no-ext-diff --diff-algorithm=myers --no-indent-heuristic -U0 a b > "$d/out"
done; exit 0`;

/** The changes named by the `@@ -s,n +s,n @@` lines of a zero-context diff. */
function hunksOf(diff: string): Change[] {
  return [...diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/gm)].map((m) => {
    const chg1 = m[2] === undefined ? 1 : Number(m[2]);
    const chg2 = m[4] === undefined ? 1 : Number(m[4]);
    return { i1: chg1 ? Number(m[1]) - 1 : Number(m[1]), chg1, i2: chg2 ? Number(m[3]) - 1 : Number(m[3]), chg2 };
  });
}

function compareWithGit(pairs: { a: string; b: string }[], what: string): void {
  const out = inFolders(pairs, SCRIPT, ['out']);
  pairs.forEach((p, i) => {
    assert.equal(diffLines(splitLines(p.a), splitLines(p.b)), hunksOf(out[i].out ?? ''), `${what} ${i}`);
  });
}

test('config-file pairs: same hunks as git diff', () => {
  const pairs = Array.from({ length: 300 }, (_, i) => {
    const c = randomCase(5, i);
    return { a: c.base, b: i % 2 ? c.ours : c.theirs };
  });
  compareWithGit(pairs, 'pair');
});

test('frequent blank lines amid unique ones (lines discarded before Myers): same hunks as git diff', () => {
  const rng = new Rng(11);
  const pairs = Array.from({ length: 120 }, () => {
    const n = 300 + rng.int(2500);
    const base = Array.from({ length: n }, () => (rng.chance(0.5) ? '\n' : rng.chance(0.5) ? '}\n' : `l${rng.int(1e6)}\n`));
    const b = [...base];
    for (let e = 0; e < 30; e++) {
      const fresh = Array.from({ length: rng.int(12) }, () => (rng.chance(0.6) ? `u${rng.int(1e6)}\n` : '\n'));
      b.splice(rng.int(b.length), rng.int(10), ...fresh);
    }
    return { a: base.join(''), b: b.join('') };
  });
  compareWithGit(pairs, 'blank-heavy');
});

test('costly diffs (cost cut-offs and split heuristics): same hunks as git diff', () => {
  const rng = new Rng(12);
  const alphabet = ['a\n', 'b\n', 'c\n', '\n'];
  const pairs = Array.from({ length: 24 }, () => {
    const k = 2 + rng.int(3);
    const base = Array.from({ length: 1000 + rng.int(4000) }, () => alphabet[rng.int(k)]);
    const b = [...base];
    for (let e = 0; e < 600; e++) b.splice(rng.int(b.length), rng.int(3), ...Array.from({ length: rng.int(3) }, () => alphabet[rng.int(k)]));
    return { a: base.join(''), b: b.join('') };
  });
  compareWithGit(pairs, 'costly');
});

test('files past 32k lines with many edits (the long-snake heuristic only runs there): same hunks as git diff', () => {
  const rng = new Rng(13);
  const pairs = [10, 1000, 10, 1000].map((k) => {
    const alphabet = Array.from({ length: k }, (_, j) => `v${j}\n`);
    const base = Array.from({ length: 40000 }, () => alphabet[rng.int(k)]);
    const b = [...base];
    for (let e = 0; e < 3000; e++) b.splice(rng.int(b.length), rng.int(3), ...Array.from({ length: rng.int(3) }, () => alphabet[rng.int(k)]));
    return { a: base.join(''), b: b.join('') };
  });
  compareWithGit(pairs, 'large');
});

test.run();
