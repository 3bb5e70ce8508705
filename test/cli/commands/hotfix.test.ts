// cli/commands/publish-hotfix, apply-hotfix and revert-hotfix in process: a hotfix published for the pack's level,
// applied with --yes, listed in the state, and reverted; each command's own refusals. The same through the real
// executable: test/cli/hotfix/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { run as publishHotfix } from '../../../src/cli/commands/publish-hotfix.js';
import { run as applyHotfix } from '../../../src/cli/commands/apply-hotfix.js';
import { run as revertHotfix } from '../../../src/cli/commands/revert-hotfix.js';
import { makeFixture, PRODUCT, snapshot, snapshotDiff, writeTree } from '../../helpers/pack.js';
import { cliContext } from '../../helpers/cli-context.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

const ID = 'WSO2-HF-2026-0042';
const stateOf = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));
const packFiles = (home: string) => snapshot(home, (r) => r.startsWith('updates/'));

test('publish for level 0, apply with --yes, then revert-hotfix: the pack as before', async () => {
  const f = await makeFixture();
  const tree = tmpDir();
  writeTree(tree, { 'lib/a.jar': 'jar-a-hotfixed' });
  const p = cliContext(tree);
  assert.is(await publishHotfix(p, [], { repo: f.repo, id: ID, product: PRODUCT, level: '0', tree: '.', title: 'A fix', json: true }), 0);
  assert.is(JSON.parse(p.out()).id, ID);
  const before = packFiles(f.home);
  const a = cliContext(f.home);
  assert.is(await applyHotfix(a, [ID], { home: f.home, yes: true }), 0);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'jar-a-hotfixed');
  assert.equal(stateOf(f.home).hotfixes.map((h: { id: string }) => h.id), [ID]);
  const r = cliContext(f.home);
  assert.is(await revertHotfix(r, [], { home: f.home, yes: true }), 4);
  assert.match(r.err(), `Reverting hotfix ${ID}`);
  assert.equal(snapshotDiff(before, packFiles(f.home)), []);
  assert.equal(stateOf(f.home).hotfixes ?? [], []);
});

test('refusals: apply-hotfix without an id; revert-hotfix with none applied, or when the last change is an update', async () => {
  const f = await makeFixture();
  assert.match((await thrown(() => applyHotfix(cliContext(f.home), [], { home: f.home }), 'usage')).message, 'apply-hotfix needs a hotfix id or a hotfix archive');
  assert.match((await thrown(() => revertHotfix(cliContext(f.home), [], { home: f.home, yes: true }), 'usage')).message, 'nothing to revert: no hotfix is applied to this pack');
});

test('publish-hotfix: a missing option names it with an example; nothing is written', async () => {
  const f = await makeFixture();
  const index = readFileSync(join(f.repo, 'index.json'), 'utf8');
  const e = await thrown(() => publishHotfix(cliContext(tmpDir()), [], { repo: f.repo, product: PRODUCT, level: '0', tree: '.' }), 'usage');
  assert.match(e.message, 'needs --id');
  assert.is(readFileSync(join(f.repo, 'index.json'), 'utf8'), index);
});

test.run();
