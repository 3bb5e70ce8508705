// Revert is a plan (issue 9): `revert --out FILE` writes a plan toward the previous generation (or --to-level N)
// that `show` renders like any plan and `apply FILE` runs (exit 4); it is checked, not believed: single-use, stale
// when the pack moved, refused when altered (exit 7). Plain `revert` is the same plan made and applied at once.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDigest } from '../../../src/core/canonical.js';
import type { Plan } from '../../../src/core/model.js';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { full } from '../../helpers/plan-edit.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

// The state record moves on (serial, generations) with a revert: compare the pack without it.
const pack = (home: string) => { const m = full(home); m.delete('updates/wso2update/state.json'); for (const k of [...m.keys()]) if (k.startsWith('updates/wso2update/generations')) m.delete(k); return m; };
const stateOf = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));

async function applied(levels: number[]): Promise<{ f: Fixture; before: Map<string, string> }> {
  const f = await makeFixture();
  const before = pack(f.home);
  for (const level of levels) {
    const plan = join(tmpDir(), `plan-${level}.json`);
    await writePlan(plan, await makeTestPlan(f, level));
    const r = await runCli(['apply', plan, '--home', f.home]);
    assert.is(r.code, 0, r.stderr);
  }
  return { f, before };
}

test('revert --out writes a revert plan that show renders and apply FILE runs (exit 4), exactly back', async () => {
  const { f, before } = await applied([1]);
  const file = join(tmpDir(), 'revert.json');
  const state = stateOf(f.home);
  const out = await runCli(['revert', '--home', f.home, '--out', file]);
  assert.is(out.code, 0, out.stderr);
  assert.match(out.stderr, `Plan written to ${file}`);
  assert.equal(stateOf(f.home), state, 'writing the plan changes nothing');
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  assert.is(plan.direction, 'revert');
  assert.equal([plan.fromLevel, plan.toLevel, plan.serial], [1, 0, state.serial]);
  assert.ok(plan.actions.length > 0 && plan.actions.every((a) => plan.preconditions[a.path] !== undefined));
  const md = await runCli(['show', file, '--markdown']);
  assert.is(md.code, 0, md.stderr);
  assert.match(md.stdout, /^# Revert .* from level 1 to level 0$/m);
  assert.match(md.stdout, 'Generation g1-0-1: each path gets back what it kept');
  const json = JSON.parse((await runCli(['show', file, '--json'])).stdout);
  assert.is(json.digest, plan.digest);
  const r = await runCli(['apply', file, '--home', f.home]);
  assert.is(r.code, 4, r.stderr);
  assert.equal(snapshotDiff(before, pack(f.home)), []);
  assert.is(stateOf(f.home).level, 0);
  const again = await runCli(['apply', file, '--home', f.home]);
  assert.is(again.code, 5, `a revert plan is single-use: ${again.stderr}`);
});

test('a revert plan is stale once a file it restores changed (exit 5, naming it), and refused when altered (exit 7)', async () => {
  const { f } = await applied([1]);
  const file = join(tmpDir(), 'revert.json');
  assert.is((await runCli(['revert', '--home', f.home, '--out', file])).code, 0);
  const plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
  const replaced = plan.actions.find((a) => a.action === 'replace' && a.before.kind === 'file') as Plan['actions'][number];
  const original = readFileSync(join(f.home, replaced.path));
  writeFileSync(join(f.home, replaced.path), 'edited after the plan');
  const snap = full(f.home);
  const stale = await runCli(['apply', file, '--home', f.home]);
  assert.is(stale.code, 5, stale.stderr);
  assert.match(stale.stderr, replaced.path);
  assert.equal(snapshotDiff(snap, full(f.home)), []);
  writeFileSync(join(f.home, replaced.path), original);
  const restored = full(f.home);
  // Drop an action and recompute the digest: the plan no longer is what the kept generation gives.
  const { digest: _d, ...rest } = { ...plan, actions: plan.actions.filter((a) => a !== replaced), preconditions: Object.fromEntries(Object.entries(plan.preconditions).filter(([p]) => p !== replaced.path)) };
  const altered = { ...rest, summary: { ...plan.summary, replace: plan.summary.replace - 1 } };
  writeFileSync(file, JSON.stringify({ ...altered, digest: planDigest(altered as Plan) }));
  const bad = await runCli(['apply', file, '--home', f.home]);
  assert.is(bad.code, 7, bad.stderr);
  assert.match(bad.stderr, 'altered');
  assert.equal(snapshotDiff(restored, full(f.home)), []);
});

test('revert --to-level 0 --dry-run shows the plan through both generations; plain revert --to-level applies it', async () => {
  const { f, before } = await applied([1, 2]);
  const snap = full(f.home);
  const dry = await runCli(['revert', '--home', f.home, '--to-level', '0', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, /Reverts:\s+generations g2-1-2, g1-0-1/);
  assert.match(dry.stderr, 'Would revert 2 updates: level 2 -> 0');
  assert.equal(snapshotDiff(snap, full(f.home)), []);
  const file = join(tmpDir(), 'revert.json');
  assert.is((await runCli(['revert', '--home', f.home, '--to-level', '0', '--out', file])).code, 0);
  assert.equal((JSON.parse(readFileSync(file, 'utf8')) as Plan).revert?.generations, ['g2-1-2', 'g1-0-1']);
  const r = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
  assert.is(r.code, 4, r.stderr);
  assert.equal(snapshotDiff(before, pack(f.home)), []);
  assert.is(stateOf(f.home).level, 0);
});

test.run();
