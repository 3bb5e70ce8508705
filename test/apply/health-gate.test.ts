// apply/health-gate.ts: a failed check reverts exactly the update that was checked, through the one revert path
// (a forced revert: files the check rewrote are kept in the revert's generation); a pack that moved on is not
// reverted; a revert that cannot run is reported with both failures and the way on.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { healthGate, revertThisUpdate } from '../../src/apply/health-gate.js';
import { UpdateError } from '../../src/core/errors.js';
import type { HealthResult } from '../../src/core/health.js';
import { realFs } from '../../src/io/fsops.js';
import { openPack } from '../../src/io/pack.js';
import { readState } from '../../src/io/state.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../helpers/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const result = (ok: boolean): HealthResult => ({ ok, exitCode: ok ? 0 : 1, signal: null, timedOut: false, aborted: false, seconds: 0.1, tail: ['starting', ok ? 'up' : 'port in use'] });

test('healthy: no revert asked; unhealthy: the revert runs and its outcome is the verdict', async () => {
  let reverts = 0;
  const revert = async () => { reverts += 1; return { status: 'applied' as const, generation: 'g2-r1-0', conflicts: [], steps: 3, warnings: [], drifted: [] }; };
  const seen: boolean[] = [];
  const ok = await healthGate({ check: async () => result(true), onVerdict: async (c) => { seen.push(c.ok); }, revert, home: '/p', level: 1 });
  assert.ok(ok.healthy);
  assert.is(reverts, 0);
  const bad = await healthGate({ check: async () => result(false), onVerdict: async (c) => { seen.push(c.ok); }, revert, home: '/p', level: 1 });
  assert.not.ok(bad.healthy);
  assert.is(reverts, 1);
  assert.equal(seen, [true, false]);
  assert.is(!bad.healthy && bad.reverted.generation, 'g2-r1-0');
});

test('a revert that fails keeps its code, names both failures and says the update is still applied', async () => {
  for (const thrown of [new UpdateError('busy', 'another wso2update holds the lock', { hint: 'Wait for it.' }), new Error('EIO: disk gone')]) {
    const err = await healthGate({ check: async () => result(false), revert: async () => { throw thrown; }, home: '/p', level: 4 }).catch((e) => e);
    assert.ok(err instanceof UpdateError);
    assert.is(err.code, thrown instanceof UpdateError ? 'busy' : 'io');
    assert.match(err.message, 'the health check failed, and reverting the update did not complete');
    assert.match(err.detail ?? '', '| port in use');
    assert.match(err.hint ?? '', 'The update is still applied (level 4)');
    assert.match(err.hint ?? '', 'wso2update revert --home /p');
  }
});

test('revertThisUpdate: the checked update is reverted, forced (a file the check rewrote is kept), the pack at its level before', async () => {
  const f = await makeFixture();
  const before = snapshot(f.home);
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  const generation = (await readState(openPack(f.home))).generations.at(-1)!.id;
  writeFileSync(join(f.home, 'lib/c.jar'), 'rewritten by the start script');
  const r = await revertThisUpdate(openPack(f.home, realFs), generation, { now: NOW, owner: OWNER });
  assert.equal(r.drifted, ['lib/c.jar']);
  assert.equal(snapshotDiff(before, snapshot(f.home)), []);
  const state = await readState(openPack(f.home));
  assert.is(state.level, 0);
  assert.ok(existsSync(join(f.home, 'updates/wso2update/generations', r.generation, 'files/lib/c.jar')));
});

test('revertThisUpdate refuses when the pack moved on since the checked apply, and changes nothing', async () => {
  const f = await makeFixture();
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  const checked = (await readState(openPack(f.home))).generations.at(-1)!.id;
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2), now: NOW });
  const at2 = snapshot(f.home, (r) => r === 'updates/wso2update/lock');
  const err = await revertThisUpdate(openPack(f.home, realFs), checked, { now: NOW, owner: OWNER }).catch((e) => e);
  assert.is(err.code, 'busy');
  assert.match(err.message, `the pack moved on since this apply (its last update is g2-1-2, not ${checked})`);
  assert.equal(snapshotDiff(at2, snapshot(f.home, (r) => r === 'updates/wso2update/lock')), []);
});

test.run();
