// Issue 8 (a new user's first hour): an empty plan burned a generation; it must change nothing, however often applied.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { snapshotDiff } from '../../helpers/pack.js';
import { atLevel1, full, stateOf } from '../../helpers/pack-cli.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

test('an empty plan says "No changes" and leaves pack, serial and generations alone: plan, apply PLAN, one-shot apply', async () => {
  const f = await atLevel1();
  const before = full(f.home);
  const serial = stateOf(f.home).serial;
  const out = join(tmpDir(), 'empty.json');
  const plan = await runCli(['plan', '--home', f.home, '--level', '1', '--out', out, '--detailed-exitcode']);
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stderr, 'No changes: the pack is already at level 1');
  assert.not.match(plan.stderr, 'apply:');
  // Applied again and again (the "after a few of these"), it must never take a generation.
  for (let i = 0; i < 4; i++) {
    const r = await runCli(['apply', out, '--home', f.home]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, 'No changes: the pack is already at level 1; nothing was applied');
    assert.not.match(r.stderr, /Applied|generation g/);
  }
  const oneShot = await runCli(['apply', '--home', f.home, '--level', '1', '--yes']);
  assert.is(oneShot.code, 0, oneShot.stderr);
  assert.match(oneShot.stderr, 'No changes');
  assert.not.match(oneShot.stderr, /Apply this plan|Applied/);
  assert.equal(snapshotDiff(before, full(f.home)), []);
  assert.is(stateOf(f.home).serial, serial);
  // The real 0 -> 1 generation is still there: level 0 can be reached.
  const back = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
  assert.is(back.code, 4, back.stderr);
  assert.is(stateOf(f.home).level, 0);
});

test.run();
