// `apply`, `revert` and `recover` as real child processes: the refusals that must write nothing (stale, replayed,
// foreign, running product, a second updater), exit codes 0/3/4/5/6, --expect-digest, --yes, --json.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { fixtureWithPlan, makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { spawnCli, runCli, tmpDir } from '../../helpers/tmp.js';

const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/generations' || r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));

async function setup(level = 1, portable = false) {
  const f = await fixtureWithPlan(level, portable);
  return { ...f, before: full(f.home) };
}

test('stale plan: exit 5 naming the drifted path, nothing written', async () => {
  const s = await setup();
  writeFileSync(join(s.home, 'lib/a.jar'), 'changed after planning');
  const before = full(s.home);
  const r = await runCli(['apply', s.plan, '--home', s.home]);
  assert.is(r.code, 5, r.stderr);
  assert.match(r.stderr, 'lib/a.jar');
  assert.equal(snapshotDiff(before, full(s.home)), []);
});

test('replayed plan: the second apply of the same plan exits 5', async () => {
  const s = await setup();
  assert.is((await runCli(['apply', s.plan, '--home', s.home])).code, 0);
  const r = await runCli(['apply', s.plan, '--home', s.home]);
  assert.is(r.code, 5);
  assert.match(r.stderr, 'already applied');
});

test('foreign lineage: a plan made on another pack exits 5', async () => {
  const s = await setup();
  const other = await makeFixture();
  const state = JSON.parse(readFileSync(join(other.home, 'updates/wso2update/state.json'), 'utf8'));
  state.lineage = '00000000-0000-4000-8000-0000000000ff';
  writeFileSync(join(other.home, 'updates/wso2update/state.json'), JSON.stringify(state));
  const before = full(other.home);
  const r = await runCli(['apply', s.plan, '--home', other.home]);
  assert.is(r.code, 5, r.stderr);
  assert.match(r.stderr, 'lineage');
  assert.equal(snapshotDiff(before, full(other.home)), []);
});

test('a running product (live pid in wso2carbon.pid) exits 6', async () => {
  const s = await setup();
  writeFileSync(join(s.home, 'wso2carbon.pid'), `${process.pid}\n`);
  const r = await runCli(['apply', s.plan, '--home', s.home]);
  assert.is(r.code, 6, r.stderr);
  assert.match(r.stderr, 'running');
});

test('two applies at once: one applies, the other exits 6 (busy) or 5 (already applied)', async () => {
  const s = await setup();
  const marker = join(tmpDir(), 'paused');
  const first = spawnCli(['apply', s.plan, '--home', s.home], {
    env: { ...process.env, CI: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: '2', WSO2UPDATE_TEST_PAUSE_MARKER: marker }, stdio: 'ignore',
  });
  const closed = new Promise<number | null>((r) => first.on('close', (c) => r(c)));
  await new Promise<void>((r) => { const t = setInterval(() => { if (existsSync(marker)) { clearInterval(t); r(); } }, 5); });
  const second = await runCli(['apply', s.plan, '--home', s.home]);
  assert.is(second.code, 6, second.stderr);
  assert.match(second.stderr, 'another wso2update');
  rmSync(marker); // resumes the first run
  assert.is(await closed, 0);
});

test('--expect-digest must match; without a plan and without a terminal, --yes is required', async () => {
  const s = await setup();
  const bad = await runCli(['apply', s.plan, '--home', s.home, '--expect-digest', 'a'.repeat(64)]);
  assert.is(bad.code, 7, bad.stderr);
  const digest = JSON.parse(readFileSync(s.plan, 'utf8')).digest;
  const ok = await runCli(['apply', s.plan, '--home', s.home, '--expect-digest', digest, '--json', '--no-changelog']);
  assert.is(ok.code, 0, ok.stderr);
  assert.is(JSON.parse(ok.stdout).status, 'applied');
  assert.not.ok(existsSync(join(s.home, 'updates/changelog-0000-0001.md')));
});

test('revert exits 4 and the pack is byte-identical; --to-level goes through two generations', async () => {
  const s = await setup();
  assert.is((await runCli(['apply', s.plan, '--home', s.home])).code, 0);
  const p2 = join(tmpDir(), 'plan2.json');
  await writePlan(p2, await makeTestPlan(s, 2));
  assert.is((await runCli(['apply', p2, '--home', s.home])).code, 0);
  const noYes = await runCli(['revert', '--home', s.home]);
  assert.is(noYes.code, 1);
  assert.match(noYes.stderr, '--yes');
  const r = await runCli(['revert', '--home', s.home, '--to-level', '0', '--yes', '--json']);
  assert.is(r.code, 4, r.stderr);
  assert.is(JSON.parse(r.stdout).toLevel, 0);
  // Only the pack's own record moved on (serial: a plan made before the apply cannot be replayed after revert).
  assert.equal(snapshotDiff(s.before, full(s.home)), ['updates/wso2update/state.json']);
});

test('conflicts: apply exits 3, other commands exit 6, --continue exits 0; recover with nothing to do exits 0', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'patched' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const r = await runCli(['apply', plan, '--home', f.home]);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, '\n  ! lib/a.jar\n');
  assert.match(r.stderr, "take the update's:  cp FILE.new FILE.final");
  assert.is((await runCli(['recover', '--home', f.home])).code, 3);
  const busy = await runCli(['plan', '--home', f.home, '--out', join(tmpDir(), 'x.json')]);
  assert.is(busy.code, 6, busy.stderr);
  const missing = await runCli(['apply', '--continue', '--home', f.home]);
  assert.is(missing.code, 3);
  assert.match(missing.stderr, 'lib/a.jar.final');
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'resolved');
  const done = await runCli(['apply', '--continue', '--home', f.home]);
  assert.is(done.code, 0, done.stderr);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'resolved');
  const rec = await runCli(['recover', '--home', f.home]);
  assert.is(rec.code, 0);
  assert.match(rec.stderr, 'Nothing to recover');
});

test('apply without a plan: plans and shows the summary; needs --yes without a terminal, then applies', async () => {
  const f = await makeFixture();
  const before = full(f.home);
  const ask = await runCli(['apply', '--home', f.home, '--level', '1']);
  assert.is(ask.code, 1, ask.stderr);
  assert.match(ask.stderr, '--yes');
  assert.equal(snapshotDiff(before, full(f.home)), []);
  const yes = await runCli(['apply', '--home', f.home, '--level', '1', '--yes']);
  assert.is(yes.code, 0, yes.stderr);
  assert.is(JSON.parse(readFileSync(join(f.home, 'updates/config.json'), 'utf8'))['update-level'], '1');
});

test.run();
