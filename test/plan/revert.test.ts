// plan/revert.ts, the one place a revert is worked out: which generations a revert undoes (newest first, each
// consumed), the plan from the pack as it is now, the oldest generation as each path's origin, and the one drift
// refusal (what was edited, how to go on) for a plain revert and --to-level alike.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import type { GenerationRecord, PackState } from '../../src/core/model.js';
import { realFs } from '../../src/io/fsops.js';
import { openPack } from '../../src/io/pack.js';
import { readState } from '../../src/io/state.js';
import { chainRecords, deriveRevert, lastUpdate, revertChain, revertPreview } from '../../src/plan/revert.js';
import { makeFixture, makeTestPlan } from '../helpers/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const rec = (id: string, fromLevel: number, toLevel: number, direction: 'update' | 'revert' = 'update'): GenerationRecord =>
  ({ id, fromLevel, toLevel, planDigest: '0'.repeat(64), committedAt: NOW.toISOString(), direction });
const stateWith = (level: number, generations: GenerationRecord[]) => ({ level, generations }) as unknown as PackState;

async function twoApplied() {
  const f = await makeFixture();
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2), now: NOW });
  return { f, pack: openPack(f.home, realFs), state: await readState(openPack(f.home)) };
}

test('the chain: newest update to the level reached, each consumed; a revert record is never undone', () => {
  const s = stateWith(3, [rec('g1-0-1', 0, 1), rec('g2-1-2', 1, 2), rec('g3-r2-1', 2, 1, 'revert'), rec('g4-1-3', 1, 3)]);
  // From 3: g4 brought it there from 1, and level 1 was reached by g1 (g2 went on to 2, and g3 reverted that).
  assert.equal(chainRecords(s, 3).map((r) => r.id), ['g4-1-3', 'g1-0-1']);
  assert.is(lastUpdate(s).id, 'g4-1-3');
  assert.is(revertChain(s, 0), 2);
  assert.throws(() => revertChain(s, 2), /cannot revert to level 2: no kept generation leads from level 3 down to it/);
  const linear = stateWith(2, [rec('g1-0-1', 0, 1), rec('g2-1-2', 1, 2)]);
  assert.equal(chainRecords(linear, 5).map((r) => r.id), ['g2-1-2', 'g1-0-1']);
  assert.is(revertChain(linear, 0), 2);
  assert.throws(() => revertChain(linear, 2), /nothing to revert: the pack is already at level 2/);
  assert.throws(() => revertChain(linear, 3), /level 3 is not below the current level 2/);
  assert.throws(() => lastUpdate(stateWith(0, [])), /nothing to revert: no kept generation brought the pack to level 0/);
  // A same-level update (an empty apply once recorded) is consumed, not found forever.
  assert.equal(chainRecords(stateWith(1, [rec('a', 1, 1), rec('b', 1, 1)]), 5).map((r) => r.id), ['b', 'a']);
});

test('a plan through two generations: from now to what the oldest kept, each path restored from the oldest that has it', async () => {
  const { pack, state } = await twoApplied();
  const d = await deriveRevert(pack, state, { toLevel: 0, force: false, now: NOW });
  assert.equal(d.plan.revert?.generations, ['g2-1-2', 'g1-0-1']);
  assert.equal([d.plan.direction, d.plan.fromLevel, d.plan.toLevel, d.plan.serial], ['revert', 2, 0, state.serial]);
  assert.equal(d.drifted, []);
  assert.ok(d.plan.actions.length > 0);
  for (const a of d.plan.actions) {
    const o = d.origin.get(a.path);
    assert.ok(o, a.path);
    // lib/a.jar was written by both updates: the level-0 copy is in the older generation.
    if (a.path === 'lib/a.jar') assert.is(o.generation, 'g1-0-1');
  }
  assert.is(d.manifest.level, 0);
  // Deterministic: the same pack gives the same digest (what apply's re-derivation relies on).
  assert.is((await deriveRevert(pack, state, { times: 2, force: false, now: new Date(0) })).plan.digest, d.plan.digest);
  const preview = revertPreview(d);
  assert.equal({ ...preview, files: 0 }, { updates: 2, fromLevel: 2, toLevel: 0, files: 0, generations: ['g2-1-2', 'g1-0-1'] });
  assert.ok(preview.files >= d.plan.actions.length, `${preview.files} files, ${d.plan.actions.length} actions`);
});

test('drift: one refusal naming the edited files and the way on; forced, the edit is in the plan as it is now', async () => {
  const { f, pack, state } = await twoApplied();
  writeFileSync(join(f.home, 'lib/c.jar'), 'edited'); // written by level 1 only
  for (const [toLevel, again] of [[undefined, 'wso2update revert --force'], [0, 'wso2update revert --to-level 0 --force']] as const) {
    const times = toLevel === undefined ? 1 : undefined;
    const err = await deriveRevert(pack, state, { toLevel, times, force: false, now: NOW }).catch((e) => e);
    if (toLevel === undefined) {
      // The last update (level 2) did not write lib/c.jar: reverting it alone loses nothing.
      assert.not.ok(err instanceof Error, String(err));
      continue;
    }
    assert.is(err.code, 'stale-plan');
    assert.equal(err.paths, ['lib/c.jar']);
    assert.is(err.message, '1 file(s) the updates wrote were changed since; reverting to level 0 would lose those edits');
    assert.match(err.hint, again);
    assert.match(err.hint, 'Nothing was reverted');
  }
  const d = await deriveRevert(pack, state, { toLevel: 0, force: true, now: NOW });
  assert.equal(d.drifted, ['lib/c.jar']);
  const a = d.plan.actions.find((x) => x.path === 'lib/c.jar');
  assert.is(a?.action, 'remove');
  assert.is(a?.before.kind === 'file' && a.before.size, 'edited'.length);
});

test.run();
