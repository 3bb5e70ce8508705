// Merge resolution per file: clean merges (with a review diff), overlaps (markers and the update's diff), stretches
// too ambiguous for the merge's budget, and the files that are never merged: WSO2's replace-only kinds, binaries
// by name and by content, non-UTF-8 text.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mergeOutcome, unmergeableByName } from '../../../src/core/plan/merge.js';
import { pathologicalCase } from '../../helpers/merge-cases.js';
import { MARKERS, META, samplePlan } from '../../helpers/sample-plan.js';

const enc = (s: string) => new TextEncoder().encode(s);
const L = { base: 1, target: 2 };
const texts = (ours: string, base: string, theirs: string) => ({ ours: enc(ours), base: enc(base), theirs: enc(theirs) });

test('clean merge: the merged text and a diff of the user file -> merged', () => {
  const out = mergeOutcome('conf/a.toml', texts('A\nb\nc\nd\ne\nf\n', 'a\nb\nc\nd\ne\nf\n', 'a\nb\nc\nd\ne\nF\n'), L);
  assert.equal(out.kind === 'text' && [out.clean, out.merged], [true, 'A\nb\nc\nd\ne\nF\n']);
  assert.ok(out.kind === 'text' && out.diff?.startsWith('--- conf/a.toml (installed)\n+++ conf/a.toml (merged)\n'));
  assert.ok(out.kind === 'text' && out.diff?.includes('-f\n+F\n'));
});

test('overlap: diff3 markers labelled by level, and the diff of what the update changes', () => {
  const out = mergeOutcome('conf/a.toml', texts('x = 3\n', 'x = 1\n', 'x = 2\n'), L);
  assert.ok(out.kind === 'text' && !out.clean);
  if (out.kind !== 'text') return;
  assert.is(out.merged, '<<<<<<< installed\nx = 3\n||||||| level 1\nx = 1\n=======\nx = 2\n>>>>>>> level 2\n');
  assert.ok(out.diff?.includes('--- conf/a.toml (level 1)\n+++ conf/a.toml (level 2)\n'));
});

test('too ambiguous: a long repetitive stretch both sides edit becomes its own kind of conflict, with markers', () => {
  const c = pathologicalCase(4000);
  const out = mergeOutcome('conf/repeated.xml', texts(c.ours, c.base, c.theirs), L);
  assert.ok(out.kind === 'text' && !out.clean && out.ambiguous === true);
  if (out.kind !== 'text') return;
  assert.ok(out.merged.startsWith('<Property name="x">1</Property>\n') && out.merged.includes('<<<<<<< installed\n'));
  const plan = samplePlan('stop', META, new Map([
    ['conf/a.toml', out],
    ['conf/b.toml', { kind: 'text', clean: false, merged: MARKERS }],
    ['lib/x.jar', { kind: 'unmergeable', reason: 'binary-customized' }],
  ]));
  const reasons = plan.actions.filter((a) => a.action === 'conflict').map((a) => a.action === 'conflict' && [a.path, a.reason]);
  assert.equal(reasons, [['conf/a.toml', 'too-ambiguous'], ['conf/b.toml', 'text-overlap'], ['lib/x.jar', 'binary-customized']]);
});

test('CRLF, a missing final newline and a BOM survive a clean merge byte for byte', () => {
  const mid = '\r\nm1\r\nm2\r\nm3\r\n';
  const out = mergeOutcome('a.properties', texts(`\uFEFFk=1${mid}v=mine`, `\uFEFFk=1${mid}v=0`, `\uFEFFk=2${mid}v=0`), L);
  assert.equal(out.kind === 'text' && [out.clean, out.merged], [true, `\uFEFFk=2${mid}v=mine`]);
});

test('never merged: replace-only kinds, binaries by name, by content, and text that is not UTF-8', () => {
  const t = texts('a\n', 'b\n', 'c\n');
  const cases: [string, ReturnType<typeof mergeOutcome>['kind'], string, Parameters<typeof mergeOutcome>[1]][] = [
    ['templates/carbon.xml.j2', 'unmergeable', 'not-mergeable', t],
    ['pom.xml', 'unmergeable', 'not-mergeable', t],
    ['conf/default.json', 'unmergeable', 'not-mergeable', t],
    ['lib/x.jar', 'unmergeable', 'binary-customized', t],
    ['repository/resources/security/wso2carbon.jks', 'unmergeable', 'binary-customized', t],
    ['conf/data.cfg', 'unmergeable', 'binary-customized', { ...t, base: new Uint8Array([0x61, 0, 0x62]) }],
    ['conf/latin1.txt', 'unmergeable', 'binary-customized', { ...t, ours: new Uint8Array([0x63, 0xe9, 0x0a]) }],
  ];
  for (const [path, kind, reason, input] of cases) assert.equal(mergeOutcome(path, input, L), { kind, reason }, path);
  assert.is(unmergeableByName('conf/deployment.toml'), null);
});

test.run();
