// unifiedDiff: exact output on small cases, and differential checks: every generated patch, applied by
// `git apply` to a real file holding `a`, must give back `b` byte for byte (LF, CRLF, missing final newline),
// also for large files and for pieces past the work budget.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { unifiedDiff } from '../../../src/core/merge/udiff.js';
import { inFolders } from '../../helpers/git.js';
import { deploymentCase, pathologicalCase, randomCase } from '../../helpers/merge-cases.js';

test('equal texts give an empty diff', () => {
  assert.is(unifiedDiff('a\nb\n', 'a\nb\n'), '');
  assert.is(unifiedDiff('', ''), '');
});

test('exact output: headers, ranges, context and the no-newline marker', () => {
  const a = 'l1\nl2\nl3\nl4\nl5\nl6\nl7\nl8\nl9\nl10\n';
  const b = 'l1\nl2\nl3\nl4\nL5\nl6\nl7\nl8\nl9\nl10\n';
  assert.is(unifiedDiff(a, b, { fromLabel: 'a/conf/x', toLabel: 'b/conf/x' }),
    '--- a/conf/x\n+++ b/conf/x\n@@ -2,7 +2,7 @@\n l2\n l3\n l4\n-l5\n+L5\n l6\n l7\n l8\n');
  assert.is(unifiedDiff('x\n', 'x'), '--- a\n+++ b\n@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n');
  assert.is(unifiedDiff('', 'new\n'), '--- a\n+++ b\n@@ -0,0 +1 @@\n+new\n');
  assert.is(unifiedDiff('k\nold\n', 'k\n', { context: 0 }), '--- a\n+++ b\n@@ -2 +1,0 @@\n-old\n');
  // Two changes 6 lines apart share a hunk at context 3 (gap <= 2 x context), 7 apart do not.
  const lines = Array.from({ length: 20 }, (_, i) => `${i}\n`);
  const near = [...lines];
  near[3] = 'x\n';
  near[10] = 'y\n';
  assert.is((unifiedDiff(lines.join(''), near.join('')).match(/^@@/gm) ?? []).length, 1);
  const far = [...lines];
  far[3] = 'x\n';
  far[11] = 'y\n';
  assert.is((unifiedDiff(lines.join(''), far.join('')).match(/^@@/gm) ?? []).length, 2);
});

interface Pair {
  a: string;
  b: string;
  context: number;
}

/** Applies each pair's diff with git apply in one shell process; returns the patched texts. */
function applyAll(pairs: Pair[]): string[] {
  const files = pairs.map((p) => ({
    f: p.a,
    'p.diff': unifiedDiff(p.a, p.b, { fromLabel: 'a/f', toLabel: 'b/f', context: p.context }),
    ...(p.context === 0 ? { zero: '' } : {}),
  }));
  // Builtins only around git itself: a subshell or `cat` per case would double the run time.
  const script = `for d in "$@"; do
    [ -s "$d/p.diff" ] || continue
    if [ -e "$d/zero" ]; then git -C "$d" apply --unidiff-zero p.diff; else git -C "$d" apply p.diff; fi 2> "$d/err"
  done; exit 0`;
  return inFolders(files, script, ['f']).map((o) => o.f ?? '');
}

test('git apply reproduces b from a for 400 generated config-file pairs (context 0 to 5)', () => {
  const pairs: Pair[] = [];
  for (let i = 0; i < 400; i++) {
    const c = randomCase(3, i);
    pairs.push({ a: c.base, b: i % 2 ? c.ours : c.theirs, context: i % 6 });
  }
  const got = applyAll(pairs);
  let changed = 0;
  pairs.forEach((p, i) => {
    if (p.a !== p.b) changed++;
    assert.ok(got[i] === p.b, `pair ${i} (context ${p.context}): applying the diff did not give b`);
  });
  assert.ok(changed > 250, `only ${changed} pairs differ`);
});

test('large files: a 3,000-line deployment.toml diff stays as small as its edits; a 20,000-line repetitive pair past the work budget is one exact replacement', () => {
  const d = deploymentCase(1, 3000, 30);
  const c = pathologicalCase(20000);
  const pairs = [{ a: d.base, b: d.ours, context: 3 }, { a: c.base, b: c.ours, context: 3 }, { a: c.ours, b: c.theirs, context: 3 }];
  const got = applyAll(pairs);
  pairs.forEach((p, i) => assert.ok(got[i] === p.b, `pair ${i}`));
  const small = unifiedDiff(d.base, d.ours);
  assert.ok(small.length < 30 * 400, `the diff of 30 edits is ${small.length} characters`);
  // Past the budget, the repetitive middle is shown replaced outright: exact, bounded, but not minimal.
  assert.ok(unifiedDiff(c.base, c.ours).length > 100_000);
});

test.run();
