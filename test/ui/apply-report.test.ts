// ui/apply-report.ts: apply --check-only's verdict (what apply would do, that nothing was written) and its JSON.
// (The reports of apply, revert and recover are checked end to end in test/cli/apply*.test.ts.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderCheckOnly } from '../../src/ui/apply-report.js';

const plan = { digest: 'a1b2c3d4e5f6'.repeat(5) + 'abcd', fromLevel: 1, toLevel: 3 };

test('would apply: conflicts counted, warnings after, nothing written said', () => {
  const out = renderCheckOnly(plan, '/opt/p', { status: 'ok', conflicts: ['conf/a.toml'], warnings: ['the repository is a mirror'] }, false);
  assert.is(out.stderr, 'Checked: plan a1b2c3d4e5f6 (level 1 -> 3) can be applied to it as it is now (then 1 conflict(s) wait for a decision); nothing was written to /opt/p.\n'
    + 'Warning: the repository is a mirror\n');
  assert.is(out.stdout, '');
});

test('already applied: changes nothing; --json has status, home, digest, conflicts and warnings', () => {
  const out = renderCheckOnly(plan, '/opt/p', { status: 'unchanged', conflicts: [], warnings: [] }, true);
  assert.is(out.stderr, 'Checked: plan a1b2c3d4e5f6 (level 1 -> 3) changes nothing there (already at level 3); nothing was written to /opt/p.\n');
  assert.equal(JSON.parse(out.stdout), { status: 'unchanged', home: '/opt/p', digest: plan.digest, conflicts: [], warnings: [] });
});

test.run();
