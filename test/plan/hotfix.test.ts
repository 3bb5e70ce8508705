// plan/hotfix.ts alone, on a real repository made by publish and publish-hotfix: a hotfix plan is the update
// skeleton with another "theirs" (the base with the hotfix overlaid, at the same level, named in the plan); it
// observes only what the hotfix touches; an applied hotfix, one for another level, a missing file and a mistyped id
// are refused before the pack is compared.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { UpdateError } from '../../src/core/errors.js';
import type { PackState } from '../../src/core/model.js';
import { openRepository } from '../../src/channel/open.js';
import { publishHotfix } from '../../src/publish/hotfix.js';
import { hotfixTarget, makeHotfixPlan } from '../../src/plan/hotfix.js';
import { defaultDeps, verifiedBase } from '../../src/plan/update.js';
import { writeState } from '../../src/io/state.js';
import { writeTree } from '../helpers/pack.js';
import { makePlanPack, type PlanPack } from '../helpers/plan-pack.js';
import { tmpDir } from '../helpers/tmp.js';
import { openPack } from '../../src/io/pack.js';

const NOW = new Date('2025-06-01T10:00:00Z');
const ID = 'WSO2-HF-2025-0001';
const LATER = 'WSO2-HF-2025-0002';
let pack: PlanPack;

async function refusal(p: Promise<unknown>): Promise<UpdateError> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.instance(err, UpdateError);
  return err as UpdateError;
}

test.before(async () => {
  pack = await makePlanPack();
  const tree = tmpDir('hotfix-tree');
  writeTree(tree, { 'lib/hf.jar': '\0hf', 'lib/a.jar': '\0jar-a0-fixed' });
  const common = { repo: pack.repo, product: 'wso2am-4.2.0', tree, removes: [], description: 'a fix', date: '2025-05-01' };
  await publishHotfix({ ...common, level: 0, id: ID, title: 'the fix', files: ['lib/hf.jar', 'lib/a.jar'] });
  await publishHotfix({ ...common, level: 1, id: LATER, title: 'for level 1', files: ['lib/hf.jar'] });
});

test('a hotfix by id: same level, the base with the hotfix overlaid, the hotfix named, only its paths observed', async () => {
  const observed: string[] = [];
  const plan = await makeHotfixPlan({ pack: openPack(pack.home), source: ID, cwd: pack.home, policy: 'stop', portable: false, now: NOW,
    deps: { observeMany: async (home, rels) => { const list = [...rels]; observed.push(...list); return defaultDeps.observeMany(home, list); } },
  });
  assert.is(plan.fromLevel, 0);
  assert.is(plan.toLevel, 0);
  assert.is(plan.hotfix?.id, ID);
  assert.is(plan.hotfix?.title, 'the fix');
  assert.is(plan.hotfixes, undefined, 'no fates: a hotfix crosses no level');
  assert.equal(plan.actions.map((a) => `${a.path}:${a.action}`).sort(), ['lib/a.jar:replace', 'lib/hf.jar:add']);
  assert.equal(observed.sort(), ['lib', 'lib/a.jar', 'lib/hf.jar']);
  const repo = await openRepository(pack.repo);
  const base = await verifiedBase(repo, pack.state);
  const { hotfix } = await repo.hotfix('wso2am-4.2.0', ID);
  assert.is(plan.manifests.base, base.digest);
  assert.is(plan.manifests.target, hotfixTarget(base.manifest, hotfix).digest);
  await repo.close();
  // The same pack and hotfix plan to the same digest (the creation time is display only).
  const again = await makeHotfixPlan({ pack: openPack(pack.home), source: ID, cwd: pack.home, policy: 'stop', portable: false, now: new Date('2030-01-01T00:00:00Z') });
  assert.is(again.digest, plan.digest);
});

test('a hotfix for another level, or one already applied, is refused with what to do; the pack is not compared', async () => {
  const other = await refusal(makeHotfixPlan({ pack: openPack(pack.home), source: LATER, cwd: pack.home, policy: 'stop', portable: false, now: NOW, deps: { observeMany: () => { throw new Error('observed'); } } }));
  assert.is(other.code, 'usage');
  assert.match(other.message, /is for wso2am-4\.2\.0 level 1, but this pack is at level 0/);
  assert.match(other.hint ?? '', /Update to level 1 first/);
  const applied: PackState = {
    ...pack.state,
    hotfixes: [{ id: ID, level: 0, title: 'the fix', digest: 'a'.repeat(64), files: {}, removes: [], appliedAt: NOW.toISOString(), generation: 'g1' }],
  };
  await writeState(openPack(pack.home), applied);
  const twice = await refusal(makeHotfixPlan({ pack: openPack(pack.home), source: ID, cwd: pack.home, policy: 'stop', portable: false, now: NOW })).finally(() => writeState(openPack(pack.home), pack.state));
  assert.match(twice.message, /is already applied to this pack/);
});

test('a source that is neither an id nor a file, and a mistyped id, are refused before the repository is opened', async () => {
  const missing = await refusal(makeHotfixPlan({ pack: openPack(pack.home), source: join(pack.home, 'no-such.tar'), cwd: pack.home, policy: 'stop', portable: false, now: NOW }));
  assert.is(missing.code, 'not-found');
  assert.match(missing.message, /is neither a hotfix id nor a hotfix archive \(no such file\)/);
  const typo = await refusal(makeHotfixPlan({ pack: openPack(pack.home), source: 'WSO2-HF-25-1', cwd: pack.home, policy: 'stop', portable: false, now: NOW }));
  assert.is(typo.code, 'usage');
  // An id on a repository that does not exist: the opening names the folder, so no --repo typo is silently ignored.
  const gone = await refusal(makeHotfixPlan({ pack: openPack(pack.home), source: ID, cwd: pack.home, repo: join(pack.repo, 'gone'), policy: 'stop', portable: false, now: NOW }));
  assert.match(gone.message, /repository folder .*gone does not exist/);
});

test.run();
