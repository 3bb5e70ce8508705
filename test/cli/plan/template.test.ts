// WSO2's --template on plan (a dry run) and apply, in the shape WSO2's Ansible scripts parse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { renderWso2Template, templateFieldsOf } from '../../../src/core/template.js';
import { makeFixture, makeTestPlan } from '../../helpers/pack.js';
import { runCli } from '../../helpers/tmp.js';

const ANSIBLE = 'Modified: {{.Modified}}, Conflicts: {{.Conflicts}}';

test('templateFieldsOf sorts the plan into WSO2 lists (conflicts under stop only)', async () => {
  const f = await makeFixture(undefined, { 'lib/b.jar': 'patched by hand' });
  const stop = templateFieldsOf(await makeTestPlan(f, 2, 'stop'));
  assert.equal(stop.Added, ['lib/c.jar', 'lib/d.jar', 'repository/components/new/deep/plugin.jar']);
  assert.equal(stop.Removed, ['repository/components/old/plugin.jar']);
  assert.ok(stop.Modified.includes('lib/a.jar') && stop.Modified.includes('bin/tool.sh'));
  assert.equal(stop.Conflicts, []);
  const g = await makeFixture(undefined, { 'lib/a.jar': 'patched by hand' });
  assert.equal(templateFieldsOf(await makeTestPlan(g, 2, 'stop')).Conflicts, ['lib/a.jar']);
  const theirs = templateFieldsOf(await makeTestPlan(g, 2, 'take-theirs'));
  assert.equal(theirs.Conflicts, []);
  assert.ok(theirs.Modified.includes('lib/a.jar'));
  assert.not.ok(templateFieldsOf(await makeTestPlan(g, 2, 'keep-mine')).Modified.includes('lib/a.jar'));
});

test('plan --template prints the dry-run lists on stdout; apply --template the applied ones; --continue refuses it', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'patched by hand' });
  const p = await runCli(['plan', '--home', f.home, '--out', join(f.home, '..', 'p.json'), '--template', ANSIBLE]);
  assert.is(p.code, 3, p.stderr);
  const line = p.stdout.trim();
  assert.match(line, /^Modified: \[[^\]]*bin\/api-manager\.sh[^\]]*\], Conflicts: \[lib\/a\.jar\]$/);
  const a = await runCli(['apply', '--home', f.home, '--yes', '--template', ANSIBLE]);
  assert.is(a.code, 3, a.stderr);
  assert.is(a.stdout.trim().split('\n')[0], line);
  const c = await runCli(['apply', '--continue', '--home', f.home, '--template', ANSIBLE]);
  assert.is(c.code, 1);
  assert.match(c.stderr, /--template goes with the run that applies a plan/);
  assert.is(renderWso2Template('{{len .Conflicts}}', { Added: [], Modified: [], Removed: [], Conflicts: ['x'] }), '1');
});

test.run();
