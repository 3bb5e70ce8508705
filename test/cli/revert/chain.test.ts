// Review regression: `revert --to-level` across generations. Found: an edit to a file only the older update wrote
// let the first revert run and stopped the second (exit 5), leaving the pack at a level nobody asked for and a
// message that read as if nothing was reverted. Now the whole chain is checked first and nothing is reverted.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

// Generations are compared too: a refused revert must not consume one.
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));
const levelOf = (home: string): number => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level;

async function applyTo(f: Fixture, level: number): Promise<void> {
  const plan = join(tmpDir(), `plan-${level}.json`);
  await writePlan(plan, await makeTestPlan(f, level));
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, 0, r.stderr);
}

test('an edit to a file only the older update wrote: exit 5 naming it, nothing reverted', async () => {
  const f = await makeFixture();
  await applyTo(f, 1); // adds lib/c.jar
  await applyTo(f, 2); // does not touch lib/c.jar
  // [file edited after both updates, whether level 2 also wrote it]
  const cases: [string, string][] = [['lib/c.jar', 'c edited by the operator'], ['repository/components/new/deep/plugin.jar', 'patched']];
  for (const [path, text] of cases) {
    const original = readFileSync(join(f.home, path));
    writeFileSync(join(f.home, path), text);
    const before = full(f.home);
    const r = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
    assert.equal(snapshotDiff(before, full(f.home)), [], path);
    assert.is(levelOf(f.home), 2);
    assert.is(r.code, 5, r.stderr);
    assert.match(r.stderr, path);
    assert.match(r.stderr, 'Nothing was reverted');
    writeFileSync(join(f.home, path), original);
  }
});

test('files both updates wrote are not mistaken for edits: the chain reverts to exactly level 0', async () => {
  const f = await makeFixture();
  const at0 = snapshot(f.home, (r) => r.startsWith('updates/'));
  await applyTo(f, 1); // lib/a.jar v1 -> v2
  await applyTo(f, 2); // lib/a.jar v2 -> v3
  const r = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
  assert.is(r.code, 4, r.stderr);
  assert.match(r.stderr, 'level 2 -> 0');
  assert.equal(snapshotDiff(at0, snapshot(f.home, (x) => x.startsWith('updates/'))), []);
  assert.is(levelOf(f.home), 0);
});

test('rolling back an update that waits on conflicts names its levels', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'mine' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  assert.is((await runCli(['apply', plan, '--home', f.home])).code, 3);
  const r = await runCli(['revert', '--home', f.home, '--yes']);
  assert.is(r.code, 4, r.stderr);
  assert.match(r.stderr, 'level 1 -> 0');
});

test.run();
