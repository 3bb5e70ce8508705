// Recording runs crash-safely without the executor's help: a pending record before the run, settled after a crash
// from the state (serial moved: applied; else rolled back), never while its process lives or a journal says the
// run is not over, a run recorded once even when the crash came between its record and removing the pending one,
// and appends that wait for the pack's lock instead of forking the chain.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { rmSync, writeFileSync } from 'node:fs';
import { verifyChain } from '../../src/core/audit/chain.js';
import { listPending, readAudit, writePending } from '../../src/io/audit-log.js';
import { acquireLock, type LockOwner } from '../../src/io/lock.js';
import { openPack } from '../../src/io/pack.js';
import { readState, writeState } from '../../src/io/state.js';
import { beginRun, endRun, recordRun, settlePending, type RunFacts } from '../../src/cli/audit-trail.js';
import { makeFixture } from '../helpers/pack.js';

const me: LockOwner = { pid: 1000, start: '111', isAlive: (pid) => pid === 1000 || pid === 2000 };
const ctx = { env: { USER: 'ops' }, now: () => new Date('2026-06-01T12:00:00.000Z'), owner: me };
// A later command in another process: the run's process (pid 1000) has died by then.
const later = { ...ctx, owner: { pid: 3000, start: '333', isAlive: (pid: number) => pid === 3000 || pid === 2000 } };
const facts: RunFacts = { command: 'apply', planDigest: 'a'.repeat(64), approvers: ['alice@example.com'], fromLevel: 0, toLevel: 1, result: 'applied', exitCode: 0, filesChanged: 4 };
const records = async (home: string) => {
  const { segments, head } = await readAudit(home);
  const rep = verifyChain(segments, head);
  assert.is(rep.bad, null, rep.bad?.why);
  return rep.records;
};

test('a normal run: begin leaves a pending record, end appends the outcome and removes it', async () => {
  const { home } = await makeFixture();
  const run = await beginRun(ctx, home, facts);
  assert.is((await listPending(home)).length, 1);
  await endRun(ctx, home, run, facts);
  assert.equal(await listPending(home), []);
  assert.equal((await records(home)).map((r) => [r.user, r.result, r.run]), [['ops', 'applied', run]]);
});

test('a crash after the commit: the next command records the apply as applied, from the state', async () => {
  const { home } = await makeFixture();
  await beginRun(ctx, home, facts);
  const s = await readState(openPack(home));
  await writeState(openPack(home), { ...s, serial: s.serial + 1, level: 1 });
  const [rec] = await settlePending(later, home);
  assert.equal([rec?.result, rec?.toLevel], ['applied', 1]);
  assert.match(rec?.detail ?? '', /recorded after an interruption/);
  assert.equal(await listPending(home), []);
});

test('a crash before the commit: recorded as rolled back, and not while a journal remains', async () => {
  const { home } = await makeFixture();
  await beginRun(ctx, home, facts);
  writeFileSync(openPack(home).paths.journal, '{}');
  assert.equal(await settlePending(later, home), [], 'settled while the journal says the run is not over');
  rmSync(openPack(home).paths.journal);
  const [rec] = await settlePending(later, home);
  assert.equal([rec?.result, rec?.filesChanged, rec?.toLevel], ['rolled-back', 0, 0]);
});

test('a live run\'s pending record is left alone by another process', async () => {
  const { home } = await makeFixture();
  const live = { ...ctx, owner: { ...me, pid: 2000, start: '222' } };
  await beginRun(live, home, facts);
  await recordRun(later, home, { ...facts, result: 'refused', exitCode: 7 });
  assert.is((await listPending(home)).length, 1);
  assert.equal((await records(home)).map((r) => r.result), ['refused']);
});

test('a crash between the record and removing the pending one: the run is still recorded once', async () => {
  const { home } = await makeFixture();
  const run = await beginRun(ctx, home, facts);
  const [pending] = await listPending(home);
  await endRun(ctx, home, run, facts);
  await writePending(home, run, pending.pending); // as if the crash came before the removal
  const s = await readState(openPack(home));
  await writeState(openPack(home), { ...s, serial: s.serial + 1 });
  await settlePending(later, home);
  assert.is((await records(home)).length, 1);
});

test('a record waits for the pack\'s lock rather than forking the chain', async () => {
  const { home } = await makeFixture();
  const holder = await acquireLock(openPack(home), { pid: 2000, start: '222', isAlive: () => true });
  const waiting = recordRun(later, home, facts);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal(await records(home), [], 'appended while another process held the lock');
  await holder.release();
  await waiting;
  assert.is((await records(home)).length, 1);
});

test.run();
