// apply/rollback-waiting.ts: rolling back an update that waits on conflicts. Its own helpers (.original, .new) and
// the operator's .final are not drift; an edit to a file the waiting update wrote stops it (exit 5, named, nothing
// changed) unless forced, when the edit is kept in the revert's generation; a path turned into a folder is refused.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { rollbackWaitingJob } from '../../src/apply/rollback-waiting.js';
import { revertOnce } from '../../src/apply/revert.js';
import { readState } from '../../src/io/state.js';
import { UpdateError } from '../../src/core/errors.js';
import { openPack } from '../../src/io/pack.js';
import { readJournal } from '../../src/io/pending-run.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../helpers/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const custom = { 'lib/a.jar': 'my-patched-jar' };

async function waiting() {
  const f = await makeFixture(undefined, custom);
  const out = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1, 'stop'), now: NOW });
  assert.is(out.status, 'conflicts');
  const pack = openPack(f.home);
  return { f, pack, journal: (await readJournal(pack))! };
}

test('the helpers and a .final are not drift: the job undoes what the update wrote, under its journal', async () => {
  const { f, pack, journal } = await waiting();
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'my decision');
  const { job, drifted } = await rollbackWaitingJob(pack, journal, { force: false, now: NOW });
  assert.equal(drifted, []);
  assert.is(job.resumes, journal);
  assert.equal([job.direction, job.fromLevel, job.toLevel], ['revert', 1, 0]);
  assert.ok(job.items.some((it) => it.path === 'lib/a.jar.original'));
  assert.not.ok(job.items.some((it) => it.path === 'lib/a.jar.final'));
  assert.is(job.commit.keepOwnGeneration, false);
});

test('an edit to a file the waiting update wrote: refused naming it (nothing changed); forced, kept in the revert generation', async () => {
  const { f, pack, journal } = await waiting();
  writeFileSync(join(f.home, 'lib/c.jar'), 'edited while deciding');
  const before = snapshot(f.home, () => false);
  const err = await rollbackWaitingJob(pack, journal, { force: false, now: NOW }).catch((e) => e);
  assert.is(err.code, 'stale-plan');
  assert.equal(err.paths, ['lib/c.jar']);
  assert.match(err.message, 'the waiting update wrote were changed since; rolling it back would lose those edits');
  assert.match(err.hint, 'wso2update revert --force');
  assert.equal(snapshotDiff(before, snapshot(f.home, () => false)), []);
  const { job, drifted } = await rollbackWaitingJob(pack, journal, { force: true, now: NOW });
  assert.equal(drifted, ['lib/c.jar']);
  assert.is(job.commit.keepOwnGeneration, true);
  assert.is(job.commit.state.generations.at(-1)?.direction, 'revert');
});

test('a path the update wrote that is now a folder: refused even when forced', async () => {
  const { f, pack, journal } = await waiting();
  rmSync(join(f.home, 'lib/c.jar'));
  mkdirSync(join(f.home, 'lib/c.jar'));
  const err = await rollbackWaitingJob(pack, journal, { force: true, now: NOW }).catch((e) => e);
  assert.is(err.code, 'stale-plan');
  assert.match(err.message, 'are now folders or special files: lib/c.jar');
  assert.ok(existsSync(join(f.home, 'lib/c.jar')));
});

/** Level 1 applied (its manifest copy written from the verified bytes), then level 2 waiting on lib/a.jar. */
async function waitingOnApplied() {
  const f = await makeFixture();
  assert.is((await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW })).status, 'applied');
  writeFileSync(join(f.home, 'lib/a.jar'), 'mine');
  assert.is((await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2, 'stop'), now: NOW })).status, 'conflicts');
  return f;
}

test('rolling back a waiting update leaves the manifest copy byte for byte as the last apply wrote it', async () => {
  const f = await waitingOnApplied();
  const copy = join(f.home, 'updates/wso2update/manifest.json');
  const before = readFileSync(copy);
  const out = await revertOnce(openPack(f.home), { force: false, now: NOW });
  assert.is(out.status, 'applied');
  assert.ok(readFileSync(copy).equals(before), 'the manifest copy was rewritten');
  assert.is((await readState(openPack(f.home))).level, 1);
});

test('a damaged manifest copy under a waiting update: its rollback is refused naming the copy, nothing changed', async () => {
  for (const damage of [(b: Buffer) => b.subarray(0, b.length >> 1), () => Buffer.from('{"files":{}}'), () => Buffer.alloc(0)]) {
    const f = await waitingOnApplied();
    const copy = join(f.home, 'updates/wso2update/manifest.json');
    writeFileSync(copy, damage(readFileSync(copy)));
    const before = snapshot(f.home, () => false);
    const err = await revertOnce(openPack(f.home), { force: false, now: NOW }).catch((e) => e);
    assert.instance(err, UpdateError);
    assert.match(err.message, copy);
    assert.equal(snapshotDiff(before, snapshot(f.home, () => false)), []);
  }
});

test.run();
