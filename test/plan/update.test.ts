// Planning end to end on real files and a real repository made by publish: every row of the decision table,
// only pathsToInspect observed (never the whole pack), level selection, determinism, a repository mismatch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { PackState, Plan } from '../../src/core/model.js';
import { pathsToInspect } from '../../src/core/plan/planner.js';
import { defaultDeps, makePlan } from '../../src/plan/update.js';
import { openRepository } from '../../src/channel/open.js';
import { writeState } from '../../src/io/state.js';
import { EXPECTED, makePlanPack, type PlanPack } from '../helpers/plan-pack.js';
import { openPack } from '../../src/io/pack.js';

const NOW = new Date('2025-06-01T10:00:00Z');
let pack: PlanPack;

const kindOf = (plan: Plan, path: string): string => {
  const a = plan.actions.find((x) => x.path === path);
  return a === undefined ? 'nothing' : a.action === 'conflict' ? `conflict:${a.reason}` : a.action;
};

async function message(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'resolved', (err: Error) => err.message);
}

test.before(async () => {
  pack = await makePlanPack();
});

test('every row of the decision table, on real files toward level 1', async () => {
  const plan = await makePlan({ pack: openPack(pack.home), level: 1, policy: 'stop', portable: false, now: NOW });
  for (const [path, want] of Object.entries(EXPECTED)) assert.is(kindOf(plan, path), want, path);
  assert.equal(plan.actions.map((a) => a.path).sort(), Object.keys(EXPECTED).filter((p) => EXPECTED[p] !== 'nothing').sort());
  const merge = plan.actions.find((a) => a.path === 'conf/clean.toml');
  assert.ok(merge?.action === 'merge');
  if (merge?.action === 'merge') {
    assert.is(merge.merged, 'password = "s3cret"\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 70\n');
    assert.ok(merge.diff?.includes('-g = 7\n+g = 70\n'), merge.diff);
  }
  const overlap = plan.actions.find((a) => a.path === 'conf/overlap.toml');
  assert.ok(overlap?.action === 'conflict' && overlap.markers?.includes('<<<<<<<') && overlap.markers.includes('x = 3'));
  assert.is(plan.fromLevel, 0);
  assert.is(plan.toLevel, 1);
  assert.equal(plan.notes.map((n) => n.level), [1]);
  assert.is(plan.notes[0].securityAdvisories[0].severity, 'critical');
  assert.is(plan.lineage, pack.state.lineage);
  assert.is(plan.serial, 0);
  // The symlinked folder and its parent are preconditions too: apply re-checks them.
  assert.is(plan.preconditions['web/sub'].kind, 'symlink');
  assert.equal(plan.preconditions.web, { kind: 'dir' });
});

test('planning observes only the changed paths and their parents, and reads only mergeable candidates', async () => {
  const observedCalls: string[] = [];
  const reads: string[] = [];
  const plan = await makePlan({ pack: openPack(pack.home), level: 1, policy: 'stop', portable: false, now: NOW,
    deps: {
      observeMany: async (home, rels) => {
        const list = [...rels];
        observedCalls.push(...list);
        return defaultDeps.observeMany(home, list);
      },
      readInstalled: async (home, rel) => {
        reads.push(rel);
        return defaultDeps.readInstalled(home, rel);
      },
    },
  });
  const repo = await openRepository(pack.repo);
  const allowed = pathsToInspect((await repo.manifest('wso2am-4.2.0', 0)).manifest, (await repo.manifest('wso2am-4.2.0', 1)).manifest);
  assert.equal(observedCalls.sort(), allowed);
  for (const never of ['conf/same.xml', 'extra/notes.txt', 'updates/product.txt']) assert.not.ok(observedCalls.includes(never), never);
  assert.equal(reads.sort(), ['conf/clean.toml', 'conf/overlap.toml']); // jars and *.j2 are judged by name, never read
  assert.ok(plan.actions.length > 0);
});

test('determinism: same pack, another clock, same digest and same bytes but createdAt', async () => {
  const a = await makePlan({ pack: openPack(pack.home), level: 1, policy: 'stop', portable: false, now: NOW });
  const b = await makePlan({ pack: openPack(pack.home), level: 1, policy: 'stop', portable: false, now: new Date('2031-01-01T00:00:00Z') });
  assert.is(a.digest, b.digest);
  assert.is(JSON.stringify({ ...a, createdAt: 0 }), JSON.stringify({ ...b, createdAt: 0 }));
});

test('levels: latest by default with notes of every level crossed; current level gives an empty plan', async () => {
  const latest = await makePlan({ pack: openPack(pack.home), policy: 'take-theirs', portable: true, now: NOW });
  assert.is(latest.toLevel, 2);
  assert.equal(latest.notes.map((n) => n.level), [1, 2]);
  assert.is(latest.lineage, null);
  assert.is(latest.serial, null);
  const same = await makePlan({ pack: openPack(pack.home), level: 0, policy: 'stop', portable: false, now: NOW });
  assert.equal(same.actions, []);
  assert.equal(same.notes, []);
  assert.is(same.manifests.base, same.manifests.target);
});

test('refusals: a level that does not exist, a level below the current one, a repository of other content', async () => {
  assert.match(await message(makePlan({ pack: openPack(pack.home), level: 7, policy: 'stop', portable: false, now: NOW })), /no level 7/);
  const above = await makePlanPack({ customized: false });
  const raised: PackState = { ...above.state, level: 2, manifestDigest: (await (await openRepository(above.repo)).manifest('wso2am-4.2.0', 2)).digest };
  await writeState(openPack(above.home), raised);
  assert.match(await message(makePlan({ pack: openPack(above.home), level: 1, policy: 'stop', portable: false, now: NOW })), /below the pack's current level 2/);
  await writeState(openPack(above.home), { ...raised, manifestDigest: 'f'.repeat(64) });
  assert.match(await message(makePlan({ pack: openPack(above.home), policy: 'stop', portable: false, now: NOW })), /not the one this pack was adopted with/);
});

test('a file that changes between observing and reading is refused', async () => {
  const err = await message(makePlan({ pack: openPack(pack.home), level: 1, policy: 'stop', portable: false, now: NOW,
    deps: { readInstalled: async () => new TextEncoder().encode('edited meanwhile\n') },
  }));
  assert.match(err, /changed while the plan was being made/);
});

test.run();
