// cli/commands/plan: the plan file written (0600) where asked, or under the tool's folder when run from inside the
// pack; exit 3 for conflicts under stop, 10 with --detailed-exitcode; --dry-run leaves no file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/plan.js';
import { DEFAULT_PLAN_FILE } from '../../../src/io/planfile.js';
import { makeFixture } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

test('--out: a 0600 plan of the asked level; exit 0, or 10 with --detailed-exitcode; --json prints the plan', async () => {
  const f = await makeFixture();
  const out = join(tmpDir(), 'p.json');
  const ctx = cliContext(tmpDir());
  assert.is(await run(ctx, [], { home: f.home, level: '1', out }), 0);
  assert.is(statSync(out).mode & 0o777, 0o600);
  assert.equal([JSON.parse(readFileSync(out, 'utf8')).fromLevel, JSON.parse(readFileSync(out, 'utf8')).toLevel], [0, 1]);
  const d = cliContext(tmpDir());
  assert.is(await run(d, [], { home: f.home, level: '1', out, detailedExitcode: true }), 10);
  const j = cliContext(tmpDir());
  await run(j, [], { home: f.home, level: '2', out, json: true });
  assert.is(JSON.parse(j.out()).toLevel, 2);
});

test('run from inside the pack (its bin/): the plan goes under updates/wso2update/, never among the product files', async () => {
  const f = await makeFixture();
  const ctx = cliContext(join(f.home, 'bin'));
  await run(ctx, [], { home: f.home, level: '1' });
  assert.ok(existsSync(join(f.home, 'updates/wso2update', DEFAULT_PLAN_FILE)));
  assert.equal(readdirSync(join(f.home, 'bin')).sort(), ['api-manager.sh', 'tool.sh']);
});

test('conflicts under stop: exit 3; --dry-run: no file at all', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'patched' });
  const cwd = tmpDir();
  const ctx = cliContext(cwd);
  assert.is(await run(ctx, [], { home: f.home, level: '1', dryRun: true }), 3);
  assert.equal(readdirSync(cwd), []);
});

test('bad options are usage errors before the repository is read', async () => {
  const f = await makeFixture();
  await thrown(() => run(cliContext(f.home), [], { home: f.home, level: '-1' }), 'usage');
  await thrown(() => run(cliContext(f.home), [], { home: f.home, level: '1', onConflict: 'maybe' }), 'usage');
});

test.run();
