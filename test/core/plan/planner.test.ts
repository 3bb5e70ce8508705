// The decision table of DESIGN.md, row by row, in memory: pathsToInspect, decide and finishPlan (policies,
// preconditions with parents, summary, notes, determinism of the digest).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planDigest } from '../../../src/core/canonical.js';
import type { Entry, Observed } from '../../../src/core/model.js';
import type { MergeOutcome } from '../../../src/core/plan/build.js';
import { decide, pathsToInspect, type Decision } from '../../../src/core/plan/planner.js';
import { ABSENT, DIR, file, manifest, META, samplePlan } from '../../helpers/sample-plan.js';

const link = (target: string): Entry => ({ kind: 'symlink', target });

/** One path `conf/x` under a plain folder; undefined = not shipped / absent on disk. */
function one(b: Entry | undefined, t: Entry | undefined, i: Observed | undefined, parent: Observed = DIR): Decision[] {
  const base = manifest(1, b ? { 'conf/x': b } : {});
  const target = manifest(2, t ? { 'conf/x': t } : {});
  const observed = new Map<string, Observed>([['conf', parent], ['conf/x', i ?? ABSENT]]);
  return decide({ base, target, observed });
}

const [A, A2, Bv, C] = [file('a\n'), file('a2\n'), file('b\n'), file('c\n')];
type Row = [string, Entry | undefined, Entry | undefined, Observed | undefined, Partial<Decision> | null, Observed?];
const rows: Row[] = [
  ['B = T: nothing, whatever I (customized)', A, A, C, null],
  ['B = T: nothing, whatever I (missing)', A, A, undefined, null],
  ['I = B: add', undefined, A, undefined, { action: 'add', after: A }],
  ['I = B: replace', A, Bv, A, { action: 'replace', before: A, after: Bv }],
  ['I = B: remove', A, undefined, A, { action: 'remove', after: ABSENT }],
  ['I = B: mode-only change is chmod', A, file('a\n', '0755'), A, { action: 'chmod', after: file('a\n', '0755') }],
  ['I = B: vendor turns a file into a symlink (replace)', A, link('x.jar'), A, { action: 'replace', after: link('x.jar') }],
  ['I = T already (replace)', A, Bv, Bv, null],
  ['I = T already (add)', undefined, A, A, null],
  ['I = T already (remove: user deleted it too)', A, undefined, undefined, null],
  ['customized text file: merge requested', A, Bv, C, { action: 'merge', before: C, base: A, target: Bv } as Partial<Decision>],
  ['path only in T, a user file with other content', undefined, A, C, { action: 'conflict', reason: 'user-file', base: null, target: A } as Partial<Decision>],
  ['path only in T, a folder there', undefined, A, DIR, { action: 'conflict', reason: 'kind-change' } as Partial<Decision>],
  ['removed in T but customized', A, undefined, C, { action: 'conflict', reason: 'removed-customized', target: null } as Partial<Decision>],
  ['user deleted a shipped file that T changes', A, Bv, undefined, { action: 'conflict', reason: 'missing-changed', before: ABSENT } as Partial<Decision>],
  ['a symlink where B has a file', A, Bv, link('elsewhere'), { action: 'conflict', reason: 'kind-change' } as Partial<Decision>],
  ['a file where B has a symlink', link('a'), link('b'), C, { action: 'conflict', reason: 'kind-change' } as Partial<Decision>],
  ['customized file while T makes it a symlink', A, link('b'), C, { action: 'conflict', reason: 'kind-change' } as Partial<Decision>],
  ['a re-pointed symlink that T re-points too', link('a'), link('b'), link('mine'), { action: 'conflict', reason: 'not-mergeable' } as Partial<Decision>],
  ['a folder where a file goes', A, Bv, DIR, { action: 'conflict', reason: 'kind-change' } as Partial<Decision>],
  ['a symlinked parent: never write through it', A, Bv, A, { action: 'conflict', reason: 'kind-change' } as Partial<Decision>, link('/etc')],
  ['a file where a parent folder should be', undefined, A, ABSENT, { action: 'conflict', reason: 'kind-change' } as Partial<Decision>, A],
  ['only the mode was customized: replace', A, Bv, file('a\n', '0600'), { action: 'replace', before: file('a\n', '0600'), after: Bv }],
  ['customized content, T only changes the mode: chmod keeps the content', A, file('a\n', '0755'), C, { action: 'chmod', after: file('c\n', '0755') }],
  ['content already at T, other mode: chmod to T', A, Bv, file('b\n', '0600'), { action: 'chmod', after: Bv }],
];

for (const [name, b, t, i, want, parent] of rows) {
  test(`decision: ${name}`, () => {
    const got = one(b, t, i, parent);
    if (want === null) return assert.equal(got, []);
    assert.is(got.length, 1);
    for (const [k, v] of Object.entries(want)) assert.equal((got[0] as Record<string, unknown>)[k], v, k);
  });
}

test('user files and unchanged paths are never inspected; changed paths and their parents are', () => {
  const base = manifest(1, { 'lib/a.jar': A, 'bin/run.sh': C, 'repository/conf/x.xml': A, 'old/y': Bv });
  const target = manifest(2, { 'lib/a.jar': Bv, 'bin/run.sh': C, 'repository/conf/x.xml': A, 'new/deep/z': C });
  assert.equal(pathsToInspect(base, target), ['lib', 'lib/a.jar', 'new', 'new/deep', 'new/deep/z', 'old', 'old/y']);
});

test('decide refuses an observed map that misses a path it needs', () => {
  assert.throws(() => decide({ base: manifest(1, { 'a/b': A }), target: manifest(2, { 'a/b': Bv }), observed: new Map([['a/b', A]]) }), /a was not observed/);
});

test('finishPlan: actions sorted, merges resolved, summary, notes, preconditions with parents', () => {
  const plan = samplePlan('stop');
  assert.equal(plan.actions.map((a) => [a.path, a.action]), [
    ['bin/gone.sh', 'remove'], ['conf/a.toml', 'merge'], ['conf/b.toml', 'conflict'], ['lib/new.jar', 'add'], ['lib/x.jar', 'conflict'],
  ]);
  const merge = plan.actions[1];
  assert.ok(merge.action === 'merge');
  if (merge.action === 'merge') {
    assert.is(merge.merged, '[db]\npassword = "merged"\n');
    assert.equal(merge.after, file('[db]\npassword = "merged"\n'));
    assert.equal(merge.base, A);
    assert.equal(merge.target, Bv);
  }
  const overlap = plan.actions[2];
  assert.ok(overlap.action === 'conflict' && overlap.reason === 'text-overlap' && overlap.markers?.includes('<<<<<<<'));
  assert.ok(plan.actions[4].action === 'conflict' && plan.actions[4].reason === 'binary-customized');
  assert.equal(plan.summary, { add: 1, replace: 0, remove: 1, merge: 1, conflict: 2, chmod: 0 });
  assert.equal(Object.keys(plan.preconditions), ['bin', 'bin/gone.sh', 'conf', 'conf/a.toml', 'conf/b.toml', 'lib', 'lib/new.jar', 'lib/x.jar']);
  assert.equal(plan.preconditions['lib/new.jar'], ABSENT);
  assert.equal(plan.preconditions.conf, DIR);
  assert.equal(plan.notes.map((n) => n.level), [2, 3]);
  assert.is(plan.onConflict, 'stop');
  assert.is(plan.digest, planDigest(plan));
});

test('conflict policy: recorded per conflict; after is the user file (stop, keep-mine) or the target (take-theirs)', () => {
  for (const policy of ['stop', 'keep-mine', 'take-theirs'] as const) {
    const plan = samplePlan(policy);
    for (const a of plan.actions.filter((x) => x.action === 'conflict')) {
      assert.ok(a.action === 'conflict' && a.resolution === policy);
      assert.equal(a.after, policy === 'take-theirs' ? (a.action === 'conflict' ? a.target : null) : a.before, `${policy} ${a.path}`);
    }
    assert.is(plan.onConflict, policy);
  }
});

test('a clean merge equal to the user file is no action; portable plans carry no lineage or serial', () => {
  const merges = new Map<string, MergeOutcome>([
    ['conf/a.toml', { kind: 'text', clean: true, merged: 'c\n' }],
    ['conf/b.toml', { kind: 'text', clean: true, merged: 'd\n' }],
    ['lib/x.jar', { kind: 'unmergeable', reason: 'not-mergeable' }],
  ]);
  const plan = samplePlan('stop', { ...META, portable: true }, merges);
  assert.equal(plan.actions.map((a) => a.path), ['bin/gone.sh', 'lib/new.jar', 'lib/x.jar']);
  assert.is(plan.lineage, null);
  assert.is(plan.serial, null);
  assert.is(plan.portable, true);
});

test('determinism: same inputs, same bytes apart from createdAt, same digest', () => {
  const a = samplePlan('stop');
  const b = samplePlan('stop', { ...META, createdAt: '2030-06-01T12:00:00.000Z' });
  assert.is(a.digest, b.digest);
  assert.is(JSON.stringify({ ...a, createdAt: '' }), JSON.stringify({ ...b, createdAt: '' }));
  assert.is(JSON.stringify(samplePlan('stop')), JSON.stringify(a));
  assert.is.not(samplePlan('keep-mine').digest, a.digest);
  assert.is.not(samplePlan('stop', { ...META, serial: 5 }).digest, a.digest);
});

test.run();
