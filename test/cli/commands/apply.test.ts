// cli/commands/apply and revert in process: the one-shot apply (plan, confirm with --yes, apply), a reviewed plan
// file applied, planning options refused beside a plan file, and revert back to the level before (exit 4).
// The same flows through the real executable, with signals: test/cli/apply/, test/cli/revert/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as apply } from '../../../src/cli/commands/apply.js';
import { run as revert } from '../../../src/cli/commands/revert.js';
import { fixtureWithPlan, makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';

const level = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level;
/** The pack's files and WSO2's records (config.json, changelogs), not the tool's own folder or the daily log. */
const packFiles = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs'));

test('one-shot apply --level 2 --yes, then revert --yes: the pack as it was, exit 0 then 4', async () => {
  const f = await makeFixture();
  const before = packFiles(f.home);
  const a = cliContext(f.home);
  assert.is(await apply(a, [], { home: f.home, level: '2', yes: true }), 0);
  assert.is(level(f.home), 2);
  const r = cliContext(f.home);
  assert.is(await revert(r, [], { home: f.home, yes: true }), 4);
  assert.is(level(f.home), 0);
  assert.equal(snapshotDiff(before, packFiles(f.home)), []);
});

test('a reviewed plan file is applied as is; --level beside it is refused; without --yes and no terminal, refused', async () => {
  const f = await fixtureWithPlan(1);
  const e = await thrown(() => apply(cliContext(f.home), [f.plan], { home: f.home, level: '2' }), 'usage');
  assert.match(e.message, `--level shape a new plan, but ${f.plan} is already made`);
  await thrown(() => apply(cliContext(f.home), [], { home: f.home, level: '1' }), 'usage');
  assert.is(level(f.home), 0);
  assert.is(await apply(cliContext(f.home), [f.plan], { home: f.home }), 0);
  assert.is(level(f.home), 1);
});

test('nothing to revert on a pack never updated: refused, nothing changed', async () => {
  const f = await makeFixture();
  const before = packFiles(f.home);
  const e = await thrown(() => revert(cliContext(f.home), [], { home: f.home, yes: true }));
  assert.match(e.message, 'nothing to revert');
  assert.equal(snapshotDiff(before, packFiles(f.home)), []);
});

test.run();
