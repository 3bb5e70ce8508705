// core/plan/effect: what applying a plan would change, decided once for plan, show and apply.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changesFiles, isNoOp, stopsOnConflicts } from '../../../src/core/plan/effect.js';
import type { Plan } from '../../../src/core/model.js';
import { samplePlan } from '../../helpers/sample-plan.js';

const emptied = (p: Plan, over: Partial<Plan> = {}): Plan => ({ ...p, actions: [], summary: { ...p.summary, conflict: 0 }, ...over });

test('isNoOp: no action, the same level and no hotfix; any of the three makes it a change', () => {
  const p = samplePlan();
  assert.not.ok(isNoOp(p));
  assert.ok(isNoOp(emptied(p, { toLevel: p.fromLevel })));
  assert.not.ok(isNoOp(emptied(p)), 'a level change with no file change still moves the pack\'s level');
  assert.not.ok(isNoOp(emptied(p, { toLevel: p.fromLevel, hotfix: {} as Plan['hotfix'] })));
});

test('changesFiles: false only when every action is a conflict kept as mine', () => {
  assert.ok(changesFiles(samplePlan()));
  assert.not.ok(changesFiles(emptied(samplePlan())));
  const keep = samplePlan('keep-mine');
  assert.not.ok(changesFiles({ ...keep, actions: keep.actions.filter((a) => a.action === 'conflict') }));
  assert.ok(changesFiles({ ...keep, actions: samplePlan('take-theirs').actions.filter((a) => a.action === 'conflict') }));
});

test('stopsOnConflicts: conflicts under the stop policy only', () => {
  assert.ok(stopsOnConflicts(samplePlan('stop')));
  assert.not.ok(stopsOnConflicts(samplePlan('keep-mine')));
  assert.not.ok(stopsOnConflicts(emptied(samplePlan('stop'))));
});

test.run();
