// Revert and generations in-process: byte-identical packs after revert (contents, modes, symlinks, created folders
// gone, config.json and changelog back), drift refused or kept with --force, several levels, pruning.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { applyRevertPlan, revertOnce } from '../../src/apply/revert.js';
import { deriveRevert, revertChain } from '../../src/plan/revert.js';
import { withFaults } from '../helpers/faults.js';
import { tmpDir } from '../helpers/tmp.js';
import { realFs } from '../../src/io/fsops.js';
import { openPack } from '../../src/io/pack.js';
import { readState } from '../../src/io/state.js';
import { LEVEL0, LEVEL1, LEVEL2, makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../helpers/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const full = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update'));
// The pack with its records but no leftovers of a run: the lock file, the blob cache and an empty generations/.
const withState = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/wso2update/cache') || r === 'updates/wso2update/generations' || r.startsWith('updates/logs'));
const custom = { 'repository/conf/deployment.toml': '[server]\nhostname = "myhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n', 'notes.txt': 'mine' };

test('revert after apply: the pack is byte-identical to before, folders the update created are gone', async () => {
  const f = await makeFixture(undefined, custom);
  const before = full(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  assert.ok(existsSync(join(f.home, 'repository/components/new/deep/plugin.jar')));
  await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
  assert.equal(snapshotDiff(before, full(f.home)), []);
  const state = await readState(openPack(f.home));
  assert.is(state.level, 0);
  assert.is(state.serial, 2);
  assert.equal(state.generations, []);
  assert.equal(readdirSync(join(f.home, 'updates/wso2update/generations')), []);
});

test('revert refuses drift naming the files; --force keeps the edited file in a new generation', async () => {
  const f = await makeFixture();
  const before = full(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  writeFileSync(join(f.home, 'lib/c.jar'), 'edited');
  const err = await revertOnce(openPack(f.home, realFs), { force: false, now: NOW }).catch((e) => e);
  assert.is(err.code, 'stale-plan');
  assert.equal(err.paths, ['lib/c.jar']);
  const out = await revertOnce(openPack(f.home, realFs), { force: true, now: NOW });
  assert.equal(out.drifted, ['lib/c.jar']);
  assert.equal(snapshotDiff(before, full(f.home)), []);
  const state = await readState(openPack(f.home));
  assert.is(state.generations.length, 1);
  assert.is(state.generations[0].direction, 'revert');
  assert.ok(existsSync(join(f.home, 'updates/wso2update/generations', state.generations[0].id, 'files/lib/c.jar')));
});

test('two applies, then revert through both generations to level 0', async () => {
  const f = await makeFixture([LEVEL0, LEVEL1, LEVEL2], custom);
  const before = full(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2), now: NOW });
  assert.is(revertChain(await readState(openPack(f.home)), 0), 2);
  await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
  assert.is((await readState(openPack(f.home))).level, 1);
  await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test('generations beyond keepGenerations are pruned after a commit', async () => {
  const levels = [LEVEL0, LEVEL1, LEVEL2, { ...LEVEL2, 'lib/e.jar': 'e' }, { ...LEVEL2, 'lib/e.jar': 'e2' }];
  const f = await makeFixture(levels);
  for (let to = 1; to <= 4; to++) await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, to), now: NOW });
  const state = await readState(openPack(f.home));
  assert.equal(state.generations.map((g) => g.toLevel), [2, 3, 4]);
  assert.equal(readdirSync(join(f.home, 'updates/wso2update/generations')).sort(), state.generations.map((g) => g.id).sort());
  assert.throws(() => revertChain(state, 0), /no kept generation/);
});

test('a revert through two generations is one run: one serial step, one commit, the pack at level 0 exactly', async () => {
  const f = await makeFixture([LEVEL0, LEVEL1, LEVEL2], custom);
  const before = full(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2), now: NOW });
  const state = await readState(openPack(f.home));
  const pack = openPack(f.home, realFs);
  const { plan } = await deriveRevert(pack, state, { toLevel: 0, force: false, now: NOW });
  const out = await applyRevertPlan({ pack, plan, now: NOW, owner: OWNER });
  assert.is(out.generation, `g${state.serial + 1}-r2-0`);
  assert.equal(snapshotDiff(before, full(f.home)), []);
  const after = await readState(openPack(f.home));
  assert.equal([after.level, after.serial, after.generations], [0, state.serial + 1, []]);
});

test('a fault at any file-system operation of a chain revert leaves the pack exactly at level 2 (or exactly at 0)', async () => {
  const f = await makeFixture([LEVEL0, LEVEL1, LEVEL2], custom);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2), now: NOW });
  const { plan } = await deriveRevert(openPack(f.home), await readState(openPack(f.home)), { toLevel: 0, force: false, now: NOW });
  const fresh = () => {
    const home = join(tmpDir(), 'home');
    cpSync(f.home, home, { recursive: true, verbatimSymlinks: true });
    return home;
  };
  const at2 = withState(f.home);
  const clean = withFaults(realFs);
  const okHome = fresh();
  await applyRevertPlan({ pack: openPack(okHome, clean), plan, now: NOW, owner: OWNER });
  const at0 = withState(okHome);
  let refused = 0;
  for (let k = 1; k <= clean.calls(); k++) {
    const home = fresh();
    const err = await applyRevertPlan({ pack: openPack(home, withFaults(realFs, { failAt: k })), plan, now: NOW, owner: OWNER }).then(() => null, (e: Error) => e);
    const got = withState(home);
    if (err === null) {
      assert.equal(snapshotDiff(at0, got), [], `fault at ${k} (${clean.log[k - 1]}) was past the commit point`);
    } else {
      refused += 1;
      assert.equal(snapshotDiff(at2, got), [], `fault at ${k} (${clean.log[k - 1]}): ${err.message}`);
      assert.is((await readState(openPack(home))).level, 2);
    }
  }
  assert.ok(refused > 20, `only ${refused} faults refused the revert`);
});

test.run();
