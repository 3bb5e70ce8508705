// cli/audited.ts: how a run's exit code becomes its audit result, and how many files a plan changes when applied.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EXIT } from '../../src/core/errors.js';
import type { Plan } from '../../src/core/model.js';
import { filesChangedBy, resultOf } from '../../src/cli/audited.js';

test('exit codes map to results; a revert plan that succeeds is "reverted", an update "applied"', () => {
  assert.is(resultOf(EXIT.ok, false), 'applied');
  assert.is(resultOf(EXIT.ok, true), 'reverted');
  assert.is(resultOf(EXIT.conflicts, false), 'waiting');
  assert.is(resultOf(EXIT.healthFailed, false), 'reverted');
  assert.is(resultOf(EXIT.interrupted, false), 'rolled-back');
  assert.is(resultOf(EXIT.terminated, false), 'rolled-back');
  for (const c of [EXIT.stale, EXIT.busy, EXIT.verification]) assert.is(resultOf(c, false), 'refused');
  assert.is(resultOf(1, false), 'failed');
});

test('files changed: every action but a conflict left for the operator (one taken from the update counts)', () => {
  const plan = { actions: [{ action: 'replace' }, { action: 'add' }, { action: 'conflict', resolution: 'stop' }, { action: 'conflict', resolution: 'take-theirs' }] } as unknown as Plan;
  assert.is(filesChangedBy(plan), 3);
  assert.is(filesChangedBy(null), 0);
});

test.run();
