// Display diffs carried by a plan: text files get a unified diff (added ones from /dev/null); binaries by name or
// by content, and files too large, get none; the plan's diffs together stay under their budget.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { collectDiffs, DISPLAY_DIFFS_MAX, displayDiff, groupByFolder } from '../../src/core/plan-display.js';

const t = (s: string): Uint8Array => Buffer.from(s);

test('replaced and added text files get diffs labelled with the levels', () => {
  const d = displayDiff('repository/conf/carbon.xml', t('<a>1</a>\n'), t('<a>2</a>\n'), { from: 1, to: 3 });
  assert.is(d, '--- repository/conf/carbon.xml (level 1)\n+++ repository/conf/carbon.xml (level 3)\n@@ -1 +1 @@\n-<a>1</a>\n+<a>2</a>\n');
  assert.match(displayDiff('bin/new.sh', null, t('echo hi\n'), { from: 1, to: 3 }) ?? '', /^--- \/dev\/null\n\+\+\+ bin\/new.sh \(level 3\)\n@@ -0,0 \+1 @@\n\+echo hi\n$/);
  assert.ok(displayDiff('conf/x.j2', t('a\n'), t('b\n'), { from: 1, to: 2 }), 'WSO2-replaced templates still get a diff');
});

test('no diff for binaries (by name or content), invalid UTF-8, or files over 1 MiB', () => {
  assert.is(displayDiff('lib/x.jar', t('a'), t('b'), { from: 1, to: 2 }), null);
  assert.is(displayDiff('conf/x.conf', t('a'), Buffer.from([0, 1, 2]), { from: 1, to: 2 }), null);
  assert.is(displayDiff('conf/x.conf', t('a'), Buffer.from([0xff, 0xfe, 0x41]), { from: 1, to: 2 }), null);
  assert.is(displayDiff('conf/x.conf', t('a'), Buffer.alloc(1024 * 1024 + 1, 97), { from: 1, to: 2 }), null);
});

test('the diffs of one plan stay within their budget', () => {
  const big = 'x'.repeat(3 * 1024 * 1024);
  const out = collectDiffs([['a', big], ['b', big], ['c', big], ['d', 'small']]);
  assert.equal(Object.keys(out), ['a', 'b', 'd']);
  assert.ok(Object.values(out).reduce((n, d) => n + d.length, 0) <= DISPLAY_DIFFS_MAX);
});

test('groups by folder with counts and bytes', () => {
  const f = (path: string, size: number) => ({ action: 'add' as const, path, before: { kind: 'absent' as const }, after: { kind: 'file' as const, sha256: 'a'.repeat(64), size, mode: '0644' } });
  assert.equal(groupByFolder([f('lib/a.jar', 10), f('lib/b.jar', 5), f('top.txt', 1)]).map((g) => [g.folder, g.count, g.bytes]), [['.', 1, 1], ['lib', 2, 15]]);
});

test.run();
