// Family 2 (issue 7): a plan is checked, not believed. Each plan below is edited consistently (its own "after"
// hashes, summary and digest recomputed, so it passes every check of the plan file alone); apply re-derives the
// plan from the repository's manifests and the pack and refuses each with exit 7 naming the path, changing nothing.
// A plan from another merge engine is refused with "plan again" (exit 5).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDigest } from '../../../src/core/canonical.js';
import type { Action, Plan } from '../../../src/core/model.js';
import { summarize } from '../../../src/core/plan/build.js';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';
import { byPath, fileOf, full, sha } from '../../helpers/plan-edit.js';

const CONF = 'repository/conf/deployment.toml';
const CUSTOM = { [CONF]: '[server]\nhostname = "node1"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' };

/** Re-seals an edited plan as an attacker would: actions sorted, summary counted, digest recomputed. */
function reseal(p: Plan): Plan {
  p.actions.sort(byPath);
  p.summary = summarize(p.actions);
  p.digest = planDigest(p);
  return p;
}

const TAMPER: [string, string, (p: Plan, f: Fixture) => void][] = [
  ['merged text changed with its "after" hash (a line added to a config)', CONF, (p) => {
    const m = p.actions.find((a) => a.action === 'merge') as Extract<Action, { action: 'merge' }>;
    m.merged += 'admin_password = "owned"\n';
    const bytes = Buffer.from(m.merged);
    m.after = { ...m.after, sha256: sha(bytes), size: bytes.length };
    delete m.diff;
  }],
  ['a merge invented for a shipped file the update does not touch (a config rewritten)', 'repository/conf/log4j2.properties', (p, f) => {
    const path = 'repository/conf/log4j2.properties';
    const cur = fileOf(f, path);
    const merged = 'level = INFO\nappender.evil.type = Socket\n';
    p.preconditions[path] = cur;
    p.actions.push({ action: 'merge', path, before: cur, after: { ...cur, sha256: sha(merged), size: Buffer.byteLength(merged) }, merged, base: cur, target: cur });
  }],
  ['an action removed (the pack would record the new level with an old jar left)', 'lib/a.jar', (p) => {
    p.actions = p.actions.filter((a) => a.path !== 'lib/a.jar');
    delete p.preconditions['lib/a.jar'];
  }],
  ['a precondition of a path the plan does not touch', 'lib/b.jar', (p, f) => {
    p.preconditions['lib/b.jar'] = fileOf(f, 'lib/b.jar');
  }],
  ['the notes of a level rewritten (a security advisory hidden)', '(the notes of the levels crossed)', (p) => {
    p.notes = p.notes.map((n) => ({ ...n, title: 'Cosmetic changes only', securityAdvisories: [] }));
  }],
];

test('each consistently edited plan is refused by apply with exit 7 naming the path; nothing changes', async () => {
  const f = await makeFixture(undefined, CUSTOM);
  const before = full(f.home);
  for (const [name, path, tamper] of TAMPER) {
    const plan = await makeTestPlan(f, 1);
    tamper(plan, f);
    const file = join(tmpDir(), 'plan.json');
    await writePlan(file, reseal(plan));
    const shown = await runCli(['show', file]);
    assert.is(shown.code, 0, `${name}: the edited plan passes the plan file's own checks (${shown.stderr})`);
    const r = await runCli(['apply', file, '--home', f.home]);
    assert.is(r.code, 7, `${name}: ${r.stderr}`);
    assert.match(r.stderr, 'differ from a fresh plan', name);
    assert.match(r.stderr, `- ${path}`, name);
    assert.not.match(r.stderr, 'This is a bug', name);
    assert.equal(snapshotDiff(before, full(f.home)), [], `${name}: the pack changed`);
  }
  // The untampered plan still applies: the re-derivation agrees with what `plan` makes.
  const ok = join(tmpDir(), 'plan.json');
  await writePlan(ok, await makeTestPlan(f, 1));
  const r = await runCli(['apply', ok, '--home', f.home]);
  assert.is(r.code, 0, r.stderr);
  console.log(`hostile plans: ${TAMPER.length} consistently edited plans refused with exit 7`);
});

test('another pack\'s plan with its lineage and serial rewritten to this pack\'s is refused; nothing changes', async () => {
  const mine = await makeFixture(undefined, CUSTOM);
  const other = await makeFixture(undefined, { [CONF]: '[server]\nhostname = "other"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' });
  const state = JSON.parse(readFileSync(join(mine.home, 'updates/wso2update/state.json'), 'utf8')) as { lineage: string; serial: number; repository: string };
  const plan = await makeTestPlan(other, 1);
  plan.lineage = state.lineage;
  plan.serial = state.serial;
  const file = join(tmpDir(), 'plan.json');
  await writePlan(file, reseal(plan));
  const before = full(mine.home);
  const r = await runCli(['apply', file, '--home', mine.home]);
  // Its preconditions describe the other pack's customized config: stale here (exit 5), never applied.
  assert.ok(r.code === 5 || r.code === 7, r.stderr);
  assert.match(r.stderr, CONF);
  assert.equal(snapshotDiff(before, full(mine.home)), []);
});

test('a plan recorded with another merge engine (or none) is refused with "plan again"', async () => {
  const f = await makeFixture(undefined, CUSTOM);
  const before = full(f.home);
  for (const engine of ['xdiff-port-0', undefined]) {
    const plan = await makeTestPlan(f, 1);
    if (engine === undefined) delete (plan.tool as { mergeEngine?: string }).mergeEngine;
    else plan.tool.mergeEngine = engine;
    const file = join(tmpDir(), 'plan.json');
    await writePlan(file, reseal(plan));
    const r = await runCli(['apply', file, '--home', f.home]);
    assert.is(r.code, 5, r.stderr);
    assert.match(r.stderr, 'merge engine');
    assert.match(r.stderr, 'Plan again');
  }
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test.run();
