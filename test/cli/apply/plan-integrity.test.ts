// Review regression: a hand-edited plan whose digest the editor recomputed. Before the fix, an extra `remove` with
// no precondition moved a user file out of the pack (exit 0), and a merge whose text differed from its "after" was
// written, leaving a pack that revert then called drifted. Now every such plan is refused on read (exit 1) by show
// and apply alike, and the pack is unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDigest } from '../../../src/core/canonical.js';
import type { Action, Plan } from '../../../src/core/model.js';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';
import { byPath, fileOf, full, sha } from '../../helpers/plan-edit.js';

const USER_FILE = 'repository/conf/my-notes.txt';
const CUSTOM = { [USER_FILE]: 'operator notes\n', 'repository/conf/deployment.toml': '[server]\nhostname = "node1"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' };

const TAMPER: [string, (p: Plan, f: Fixture) => void][] = [
  ['an extra remove of a user file, with no precondition', (p, f) => {
    p.actions.push({ action: 'remove', path: USER_FILE, before: fileOf(f, USER_FILE), after: { kind: 'absent' } });
    p.actions.sort(byPath);
    p.summary.remove += 1;
  }],
  ['a merge whose text is not the reviewed "after"', (p) => {
    const m = p.actions.find((a) => a.action === 'merge') as Extract<Action, { action: 'merge' }>;
    m.merged += 'injected = true\n';
  }],
  ['an action whose "before" differs from its precondition', (p) => {
    const a = p.actions.find((x) => x.action === 'replace') as Action;
    a.before = { kind: 'absent' };
  }],
  ['a summary that hides an action', (p) => {
    p.summary.remove = 0;
  }],
  ['a chmod that changes content', (p) => {
    const c = p.actions.find((a) => a.action === 'chmod') as Extract<Action, { action: 'chmod' }>;
    c.after = { ...c.after, sha256: sha('other'), size: 5 };
  }],
  ['a portable plan still bound to a serial', (p) => {
    p.portable = true;
  }],
];

test('each self-contradicting plan is refused by show and apply, and nothing changes', async () => {
  const f = await makeFixture(undefined, CUSTOM);
  const before = full(f.home);
  for (const [name, tamper] of TAMPER) {
    const plan = await makeTestPlan(f, 1);
    tamper(plan, f);
    plan.digest = planDigest(plan);
    const file = join(tmpDir(), 'plan.json');
    await writePlan(file, plan);
    const shown = await runCli(['show', file]);
    assert.is(shown.code, 1, `${name}: show ${shown.stderr}`);
    assert.match(shown.stderr, 'contradicts itself', name);
    const r = await runCli(['apply', file, '--home', f.home]);
    assert.is(r.code, 1, `${name}: apply ${r.stderr}`);
    assert.match(r.stderr, 'contradicts itself', name);
    assert.equal(snapshotDiff(before, full(f.home)), [], name);
  }
});

// Self-consistent plans (precondition, summary, digest all recomputed) whose content is not what the levels ship.
const OFF_MANIFEST: [string, (p: Plan) => void][] = [
  ['a replace that installs level 0\'s jar under level 1\'s name', (p) => {
    const a = p.actions.find((x) => x.path === 'lib/a.jar') as Extract<Action, { action: 'replace' }>;
    a.after = { kind: 'file', sha256: sha('jar-a-v1'), size: 8, mode: '0644' };
  }],
  ['an add of a path neither level ships', (p) => {
    p.actions.push({ action: 'add', path: 'bin/extra.sh', before: { kind: 'absent' }, after: { kind: 'file', sha256: sha('jar-b-v1'), size: 8, mode: '0755' } });
    p.actions.sort(byPath);
    p.preconditions = Object.fromEntries(Object.entries({ ...p.preconditions, 'bin/extra.sh': { kind: 'absent' as const } }).sort(([a], [b]) => (a < b ? -1 : 1)));
    p.summary.add += 1;
  }],
];

test('actions that install what the levels do not ship are refused by apply (exit 7), nothing changed', async () => {
  const f = await makeFixture(undefined, CUSTOM);
  const before = full(f.home);
  for (const [name, tamper] of OFF_MANIFEST) {
    const plan = await makeTestPlan(f, 1);
    tamper(plan);
    plan.digest = planDigest(plan);
    const file = join(tmpDir(), 'plan.json');
    await writePlan(file, plan);
    const r = await runCli(['apply', file, '--home', f.home]);
    assert.is(r.code, 7, `${name}: ${r.stderr}`);
    assert.match(r.stderr, 'not what levels 0 and 1 ship', name);
    assert.equal(snapshotDiff(before, full(f.home)), [], name);
  }
});

test('the untampered plan of the same pack still applies (the checks hold for what plan makes)', async () => {
  const f = await makeFixture(undefined, CUSTOM);
  const file = join(tmpDir(), 'plan.json');
  await writePlan(file, await makeTestPlan(f, 1));
  const r = await runCli(['apply', file, '--home', f.home]);
  assert.is(r.code, 0, r.stderr);
  assert.is(readFileSync(join(f.home, USER_FILE), 'utf8'), 'operator notes\n');
});

test.run();
