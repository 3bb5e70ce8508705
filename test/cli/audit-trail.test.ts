// Recording runs crash-safely without the executor's help: a pending record before the run, settled after a crash
// from the state (serial moved: applied; else rolled back), never while a journal says the run is not over, and a
// run recorded once even when the crash came between its record and removing the pending one.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { verifyChain } from '../../src/core/audit/chain.js';
import { readAudit, readPending, writePending } from '../../src/io/audit-log.js';
import { journalPath, readState, writeState } from '../../src/io/state.js';
import { beginRun, endRun, settlePending, type RunFacts } from '../../src/cli/audit-trail.js';
import { makeFixture } from '../helpers/pack.js';

const ctx = { env: { USER: 'ops' }, now: () => new Date('2026-06-01T12:00:00.000Z') };
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
  assert.ok(await readPending(home));
  await endRun(ctx, home, run, facts);
  assert.is(await readPending(home), null);
  const rs = await records(home);
  assert.equal(rs.map((r) => [r.user, r.result, r.run]), [['ops', 'applied', run]]);
});

test('a crash after the commit: the next command records the apply as applied, from the state', async () => {
  const { home } = await makeFixture();
  await beginRun(ctx, home, facts);
  const s = await readState(home);
  await writeState(home, { ...s, serial: s.serial + 1, level: 1 });
  const rec = await settlePending(ctx, home);
  assert.is(rec?.result, 'applied');
  assert.is(rec?.toLevel, 1);
  assert.match(rec?.detail ?? '', /recorded after an interruption/);
  assert.is(await readPending(home), null);
});

test('a crash before the commit: recorded as rolled back, and not while a journal remains', async () => {
  const { home } = await makeFixture();
  await beginRun(ctx, home, facts);
  writeFileSync(journalPath(home), '{}');
  assert.is(await settlePending(ctx, home), null, 'settled while the journal says the run is not over');
  const { rmSync } = await import('node:fs');
  rmSync(journalPath(home));
  const rec = await settlePending(ctx, home);
  assert.equal([rec?.result, rec?.filesChanged, rec?.toLevel], ['rolled-back', 0, 0]);
});

test('a crash between the record and removing pending.json: the run is still recorded once', async () => {
  const { home } = await makeFixture();
  const run = await beginRun(ctx, home, facts);
  const pending = await readPending(home);
  await endRun(ctx, home, run, facts);
  if (pending) await writePending(home, pending); // as if the crash came before the removal
  const s = await readState(home);
  await writeState(home, { ...s, serial: s.serial + 1 });
  await settlePending(ctx, home);
  assert.is((await records(home)).length, 1);
});

test.run();
