// Conflicts under each policy: stop (helpers, waiting journal, --continue with .final files, markers refused,
// a missing .final named, revert from the waiting state), keep-mine and take-theirs; recover after a pause.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { recover } from '../../src/apply/recover.js';
import { continueApply } from '../../src/apply/resolve.js';
import { revertOnce } from '../../src/apply/revert.js';
import { realFs } from '../../src/io/fsops.js';
import { openPack } from '../../src/io/pack.js';
import { readJournal } from '../../src/io/pending-run.js';
import { readState } from '../../src/io/state.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../helpers/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const full = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update'));
// a.jar customized (binary: conflict), deployment.toml edited on the same line as the update (text overlap)
const custom = { 'lib/a.jar': 'my-patched-jar', 'repository/conf/deployment.toml': '[server]\nhostname = "localhost"\noffset = 0\n\n[database]\nurl = "jdbc:mysql"\n' };

test('stop: everything else applied, helpers beside each conflict, journal waits; --continue installs .final', async () => {
  const f = await makeFixture(undefined, custom);
  const plan = await makeTestPlan(f, 1, 'stop');
  assert.is(plan.summary.conflict, 2);
  const out = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan, now: NOW });
  assert.is(out.status, 'conflicts');
  assert.equal(out.conflicts, ['lib/a.jar', 'repository/conf/deployment.toml']);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'my-patched-jar');
  assert.is(readFileSync(join(f.home, 'lib/a.jar.original'), 'utf8'), 'jar-a-v1');
  assert.is(readFileSync(join(f.home, 'lib/a.jar.new'), 'utf8'), 'jar-a-v2');
  assert.ok(existsSync(join(f.home, 'lib/c.jar')));
  assert.is((await readJournal(openPack(f.home)))?.phase, 'awaiting-resolution');
  assert.is((await readState(openPack(f.home))).level, 0);
  // a missing .final is named
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'merged-jar');
  const missing = await continueApply(openPack(f.home, realFs)).catch((e) => e);
  assert.is(missing.code, 'conflicts');
  assert.equal(missing.paths, ['repository/conf/deployment.toml.final']);
  // markers are refused
  writeFileSync(join(f.home, 'repository/conf/deployment.toml.final'), '<<<<<<< ours\nurl = "a"\n=======\nurl = "b"\n>>>>>>> theirs\n');
  const marked = await continueApply(openPack(f.home, realFs)).catch((e) => e);
  assert.match(marked.message, 'conflict markers');
  writeFileSync(join(f.home, 'repository/conf/deployment.toml.final'), 'resolved\n');
  const done = await continueApply(openPack(f.home, realFs));
  assert.is(done.status, 'applied');
  assert.is(readFileSync(join(f.home, 'repository/conf/deployment.toml'), 'utf8'), 'resolved\n');
  for (const h of ['.final', '.original', '.new']) assert.not.ok(existsSync(join(f.home, `lib/a.jar${h}`)), h);
  assert.is(await readJournal(openPack(f.home)), null);
  const state = await readState(openPack(f.home));
  assert.is(state.level, 1);
  assert.match(readFileSync(join(f.home, 'updates/changelog-0000-0001.md'), 'utf8'), 'lib/a.jar: resolved with .final');
});

test('stop then revert from the waiting state: exactly before', async () => {
  const f = await makeFixture(undefined, custom);
  const before = full(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1, 'stop'), now: NOW });
  await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
  assert.equal(snapshotDiff(before, full(f.home)), []);
  assert.is(await readJournal(openPack(f.home)), null);
});

test('continue, then revert: the user\'s conflicted files come back', async () => {
  const f = await makeFixture(undefined, custom);
  const before = full(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1, 'stop'), now: NOW });
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'merged-jar');
  writeFileSync(join(f.home, 'repository/conf/deployment.toml.final'), 'resolved\n');
  await continueApply(openPack(f.home, realFs));
  await revertOnce(openPack(f.home, realFs), { force: false, now: NOW });
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test('keep-mine keeps the user\'s files; take-theirs installs the update and keeps the user\'s copy in the generation', async () => {
  const mine = await makeFixture(undefined, custom);
  await applyPlan({ owner: OWNER, pack: openPack(mine.home), plan: await makeTestPlan(mine, 1, 'keep-mine'), now: NOW });
  assert.is(readFileSync(join(mine.home, 'lib/a.jar'), 'utf8'), 'my-patched-jar');
  assert.is(await readJournal(openPack(mine.home)), null);
  const theirs = await makeFixture(undefined, custom);
  await applyPlan({ owner: OWNER, pack: openPack(theirs.home), plan: await makeTestPlan(theirs, 1, 'take-theirs'), now: NOW });
  assert.is(readFileSync(join(theirs.home, 'lib/a.jar'), 'utf8'), 'jar-a-v2');
  const gen = (await readState(openPack(theirs.home))).generations[0].id;
  assert.is(readFileSync(join(theirs.home, 'updates/wso2update/generations', gen, 'files/lib/a.jar'), 'utf8'), 'my-patched-jar');
});

test('recover with no journal says nothing to do; after a stop apply it reports the wait and changes nothing', async () => {
  const f = await makeFixture(undefined, custom);
  assert.is((await recover(openPack(f.home, realFs))).outcome, 'nothing');
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1, 'stop'), now: NOW });
  const snap = full(f.home);
  assert.is((await recover(openPack(f.home, realFs))).outcome, 'waiting');
  assert.equal(snapshotDiff(snap, full(f.home)), []);
});

test.run();
