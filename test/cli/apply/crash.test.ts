// Crash safety with real processes: `apply` (and `revert`) are SIGKILLed at every pause point after the journal
// exists (the test-only WSO2UPDATE_TEST_PAUSE_AT_STEP hook), then `recover` must leave the pack exactly before or
// exactly after. Also: SIGINT mid-apply rolls back, and any command on an interrupted pack exits 6.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { spawnCli, runCli, tmpDir } from '../../helpers/tmp.js';

const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/generations' || r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));

/** Starts the CLI paused at `point`; resolves once it is there (marker written) or it exited without pausing. */
function runPaused(args: string[], point: number, signal: NodeJS.Signals): Promise<{ paused: boolean; code: number | null }> {
  const marker = join(tmpDir(), 'paused');
  return new Promise((resolve, reject) => {
    const child = spawnCli([...args], {
      env: { ...process.env, CI: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: String(point), WSO2UPDATE_TEST_PAUSE_MARKER: marker },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let paused = false;
    const poll = setInterval(() => {
      if (!paused && existsSync(marker)) {
        paused = true;
        child.kill(signal);
      }
    }, 5);
    child.on('error', reject);
    child.on('close', (code) => { clearInterval(poll); resolve({ paused, code }); });
  });
}

async function preparedHome(): Promise<{ home: string; plan: string; before: Map<string, string>; after: Map<string, string> }> {
  const f = await makeFixture(undefined, { 'repository/conf/deployment.toml': '[server]\nhostname = "myhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const before = full(f.home);
  const probe = join(tmpDir(), 'home');
  cpSync(f.home, probe, { recursive: true, verbatimSymlinks: true });
  const r = await runCli(['apply', plan, '--home', probe]);
  assert.is(r.code, 0, r.stderr);
  return { home: f.home, plan, before, after: full(probe) };
}

test('SIGKILL at every journal step of apply, then recover: exactly before or exactly after', async () => {
  const { home: template, plan, before, after } = await preparedHome();
  let points = 0;
  for (let point = 1; point < 200; point++) {
    const home = join(tmpDir(), 'home');
    cpSync(template, home, { recursive: true, verbatimSymlinks: true });
    const run = await runPaused(['apply', plan, '--home', home], point, 'SIGKILL');
    if (!run.paused) {
      assert.is(run.code, 0);
      break;
    }
    points += 1;
    const other = await runCli(['apply', plan, '--home', home]);
    assert.is(other.code, 6, `apply after a kill at ${point}: ${other.stderr}`);
    const rec = await runCli(['recover', '--home', home]);
    assert.is(rec.code, 0, rec.stderr);
    const now = full(home);
    const asBefore = snapshotDiff(before, now).length === 0;
    const asAfter = snapshotDiff(after, now).length === 0;
    assert.ok(asBefore || asAfter, `kill at ${point}: neither before nor after: ${snapshotDiff(before, now).slice(0, 5)}`);
    assert.not.ok(existsSync(join(home, 'updates/wso2update/staging')), `staging left at ${point}`);
    const again = await runCli(['recover', '--home', home]);
    assert.is(again.code, 0);
    assert.match(again.stderr, 'Nothing to recover');
  }
  assert.ok(points > 10, `only ${points} pause points`);
  console.log(`kill sweep: apply killed at ${points} journal steps, each recovered to exactly before or after`);
});

test('SIGKILL at every journal step of revert, then recover: exactly the applied or the reverted pack', async () => {
  const { home: template, plan, before } = await preparedHome();
  const applied = join(tmpDir(), 'home');
  cpSync(template, applied, { recursive: true, verbatimSymlinks: true });
  assert.is((await runCli(['apply', plan, '--home', applied])).code, 0);
  // The serial moves on with a revert, so compare the pack without the state record.
  const strip = (m: Map<string, string>) => { const s = new Map(m); s.delete('updates/wso2update/state.json'); return s; };
  const pack = (h: string) => strip(full(h));
  const appliedSnap = pack(applied);
  let points = 0;
  for (let point = 1; point < 200; point++) {
    const home = join(tmpDir(), 'home');
    cpSync(applied, home, { recursive: true, verbatimSymlinks: true });
    const run = await runPaused(['revert', '--yes', '--home', home], point, 'SIGKILL');
    if (!run.paused) {
      assert.is(run.code, 4);
      break;
    }
    points += 1;
    assert.is((await runCli(['recover', '--home', home])).code, 0);
    const now = pack(home);
    const ok = snapshotDiff(appliedSnap, now).length === 0 || snapshotDiff(strip(before), now).length === 0;
    assert.ok(ok, `kill at ${point}: ${snapshotDiff(appliedSnap, now).slice(0, 5)}`);
  }
  assert.ok(points > 10, `only ${points} pause points`);
  console.log(`kill sweep: revert killed at ${points} journal steps, each recovered to exactly applied or reverted`);
});

test('SIGKILL at every journal step that ends a wait (--continue, revert), then recover: exactly waiting, then it completes', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'mine' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  assert.is((await runCli(['apply', plan, '--home', f.home])).code, 3);
  writeFileSync(join(f.home, 'lib/a.jar.final'), 'resolved');
  const waiting = full(f.home);
  const ends: [string[], number][] = [[['apply', '--continue'], 0], [['revert', '--yes'], 4]];
  for (const [args, code] of ends) {
    let points = 0;
    for (let point = 1; point < 100; point++) {
      const home = join(tmpDir(), 'home');
      cpSync(f.home, home, { recursive: true, verbatimSymlinks: true });
      const run = await runPaused([...args, '--home', home], point, 'SIGKILL');
      if (!run.paused) {
        assert.is(run.code, code);
        break;
      }
      points += 1;
      const rec = await runCli(['recover', '--home', home]);
      assert.is(rec.code, 3, `${args[0]} killed at ${point}, recover: ${rec.stderr}`);
      assert.equal(snapshotDiff(waiting, full(home)), [], `${args[0]} killed at ${point}: not exactly waiting`);
      const again = await runCli([...args, '--home', home]);
      assert.is(again.code, code, `${args[0]} after a kill at ${point}: ${again.stderr}`);
    }
    assert.ok(points >= 3, `${args[0]}: only ${points} pause points`);
    console.log(`kill sweep: ${args.join(' ')} from the waiting state killed at ${points} journal steps, each recovered to exactly waiting`);
  }
});

function pausedChild(args: string[], point: number) {
  const marker = join(tmpDir(), 'paused');
  const child = spawnCli([...args], {
    env: { ...process.env, CI: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: String(point), WSO2UPDATE_TEST_PAUSE_MARKER: marker }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const reached = new Promise<void>((r) => { const t = setInterval(() => { if (existsSync(marker)) { clearInterval(t); r(); } }, 5); });
  const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  return { child, marker, reached, closed, stderr: () => stderr };
}

test('first SIGINT mid-apply finishes the step and rolls back (exit 130, pack as before, no journal)', async () => {
  const { home: template, plan, before } = await preparedHome();
  const home = join(tmpDir(), 'home');
  cpSync(template, home, { recursive: true, verbatimSymlinks: true });
  const p = pausedChild(['apply', plan, '--home', home], 4);
  await p.reached;
  p.child.kill('SIGINT');
  // Resume the step only once the child has said it heard the interrupt, so the test does not depend on timing.
  await new Promise<void>((r) => { const t = setInterval(() => { if (p.stderr().includes('Interrupted: finishing the current step')) { clearInterval(t); r(); } }, 5); });
  rmSync(p.marker);
  const code = await p.closed;
  assert.is(code, 130, p.stderr());
  assert.match(p.stderr(), 'interrupted');
  assert.not.ok(existsSync(join(home, 'updates/wso2update/journal.json')));
  assert.equal(snapshotDiff(before, full(home)), []);
});

test('a second SIGINT exits at once leaving the journal; any command then exits 6 until recover', async () => {
  const { home: template, plan, before } = await preparedHome();
  const home = join(tmpDir(), 'home');
  cpSync(template, home, { recursive: true, verbatimSymlinks: true });
  const p = pausedChild(['apply', plan, '--home', home], 4);
  await p.reached;
  // Signals of one kind do not queue: keep interrupting until the second one has been seen and the process exits.
  const again = setInterval(() => p.child.kill('SIGINT'), 50);
  const code = await p.closed;
  clearInterval(again);
  assert.is(code, 130, p.stderr());
  assert.ok(existsSync(join(home, 'updates/wso2update/journal.json')));
  for (const args of [['apply', plan], ['revert', '--yes'], ['plan', '--out', join(tmpDir(), 'p.json')]]) {
    const r = await runCli([...args, '--home', home]);
    assert.is(r.code, 6, `${args[0]}: ${r.stderr}`);
    assert.match(r.stderr, 'recover');
  }
  assert.is((await runCli(['recover', '--home', home])).code, 0);
  assert.equal(snapshotDiff(before, full(home)), []);
});

test.run();
