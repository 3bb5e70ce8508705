// core/plan/check: the plan's own invariants and its agreement with the manifests it names, checked when a plan file
// is read: a hand-edited plan with a recomputed digest must not slip an action past apply's checks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { manifestProblems, planProblems } from '../../../src/core/plan/check.js';
import type { Action, Plan } from '../../../src/core/model.js';
import { file, sampleManifests, samplePlan } from '../../helpers/sample-plan.js';

const copy = (p: Plan): Plan => structuredClone(p);
const act = (p: Plan, path: string) => p.actions.find((a) => a.path === path) as Action & Record<string, unknown>;

test('every plan the planner makes, under each policy, has no problem and agrees with its levels', () => {
  const { base, target } = sampleManifests();
  for (const policy of ['stop', 'keep-mine', 'take-theirs'] as const) {
    const plan = samplePlan(policy);
    assert.equal(planProblems(plan), [], policy);
    assert.equal(manifestProblems(plan, base, target), [], policy);
  }
});

test('each self-contradiction is named with its path', () => {
  const table: [string, (p: Plan) => void, string][] = [
    ['no precondition', (p) => { delete p.preconditions['lib/new.jar']; }, 'lib/new.jar: the action has no precondition'],
    ['before differs', (p) => { act(p, 'bin/gone.sh').before = file('other\n'); }, 'bin/gone.sh: the action\'s "before" differs from its precondition'],
    ['folder unchecked', (p) => { delete p.preconditions.conf; }, 'no precondition for its folder conf'],
    ['merged text swapped', (p) => { act(p, 'conf/a.toml').merged = 'evil\n'; }, 'conf/a.toml: the merged text is not the file its "after" describes'],
    ['summary', (p) => { p.summary.add += 1; }, 'the summary does not count the actions'],
    ['portable half-set', (p) => { p.portable = true; }, 'lineage and serial must be null exactly when the plan is portable'],
    ['resolution against policy', (p) => { act(p, 'lib/x.jar').resolution = 'take-theirs'; }, 'lib/x.jar: resolved by "take-theirs" in a plan whose policy is "stop"'],
  ];
  for (const [name, edit, message] of table) {
    const p = copy(samplePlan());
    edit(p);
    const problems = planProblems(p);
    assert.ok(problems.some((x) => x.includes(message)), `${name}: ${JSON.stringify(problems)}`);
  }
});

test('a conflict whose "after" is not what its resolution leaves; a chmod that changes content', () => {
  const p = copy(samplePlan('keep-mine'));
  act(p, 'lib/x.jar').after = file('planted\n');
  assert.ok(planProblems(p).some((x) => x.includes('lib/x.jar: the conflict\'s "after" is not what "keep-mine" leaves')));
  const q = copy(samplePlan());
  const remove = act(q, 'bin/gone.sh');
  Object.assign(remove, { action: 'chmod', after: file('changed\n', '0755') });
  assert.ok(planProblems(q).some((x) => x.includes('bin/gone.sh: a mode change that would change the content')), JSON.stringify(planProblems(q)));
});

test('manifestProblems: content the target does not ship, a path neither level ships, a merge against other levels', () => {
  const { base, target } = sampleManifests();
  const added = copy(samplePlan());
  act(added, 'lib/new.jar').after = file('trojan\n');
  assert.equal(manifestProblems(added, base, target), ['lib/new.jar: "add" installs what level 3 does not ship there']);
  const stray = copy(samplePlan());
  act(stray, 'lib/new.jar').path = 'lib/stray.jar';
  assert.equal(manifestProblems(stray, base, target), ['lib/stray.jar: neither level ships this path']);
  const merge = copy(samplePlan());
  act(merge, 'conf/a.toml').target = file('other\n');
  assert.equal(manifestProblems(merge, base, target), ['conf/a.toml: the merge\'s base or target is not what the levels ship there']);
});

test.run();
