// Interrupts tell the truth (issue 17): SIGINT and SIGTERM in staging and at every journal step of apply, sent
// the way a terminal or a service manager sends them. Before the commit point (the journal's unlink) the pack is
// rolled back exactly to its snapshot, nothing of the run is left (journal, staging, lock) and the exit is the
// shell's 130 or 143; after it the run finishes, exit 0, and says it went on because it was past that point.
// Found: SIGINT as the swap started printed "rolling back", then "Applied", exit 0 (the renames are synchronous, so
// the handler ran only after the commit); an interruption exited 1; an early one surfaced as "This is a bug".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { LEVEL0, makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/generations' || r.startsWith('updates/logs'));
const EXIT_OF = { SIGINT: 130, SIGTERM: 143 } as const;

async function preparedHome(): Promise<{ home: string; plan: string; before: Map<string, string>; after: Map<string, string> }> {
  const f = await makeFixture(undefined, { 'repository/conf/deployment.toml': '[server]\nhostname = "myhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const probe = join(tmpDir(), 'home');
  cpSync(f.home, probe, { recursive: true, verbatimSymlinks: true });
  const before = full(f.home);
  const r = await runCli(['apply', plan, '--home', probe]);
  assert.is(r.code, 0, r.stderr);
  const after = full(probe);
  after.delete('updates/wso2update/state.json'); // it records when: compared by its level below
  return { home: f.home, plan, before, after };
}

/** apply paused at `point`; once there, `signal` is sent and, once the tool has said it heard it, the pause ends. */
async function interruptAt(args: string[], point: string, signal: 'SIGINT' | 'SIGTERM') {
  const marker = join(tmpDir(), 'paused');
  const child = spawnCli(args, { env: { ...process.env, CI: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: point, WSO2UPDATE_TEST_PAUSE_MARKER: marker }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  let paused = false;
  const watch = setInterval(() => {
    if (!paused && existsSync(marker)) {
      paused = true;
      child.kill(signal);
    }
    if (paused && existsSync(marker) && stderr.includes('Interrupted: ')) rmSync(marker);
  }, 5);
  const code = await closed;
  clearInterval(watch);
  return { paused, code, stderr };
}

const left = (home: string) => ['journal.json', 'staging', 'lock'].filter((n) => existsSync(join(home, 'updates/wso2update', n)));

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  test(`${signal} in staging and at every journal step of apply: rolled back exactly (exit ${EXIT_OF[signal]}) until the commit point, then finished and said so`, async () => {
    const { home: template, plan, before, after } = await preparedHome();
    let rolledBack = 0;
    let finished = 0;
    for (const point of ['staging', ...Array.from({ length: 200 }, (_, i) => String(i + 1))]) {
      const home = join(tmpDir(), 'home');
      cpSync(template, home, { recursive: true, verbatimSymlinks: true });
      const run = await interruptAt(['apply', plan, '--home', home], point, signal);
      if (!run.paused) {
        assert.is(run.code, 0, run.stderr);
        break;
      }
      assert.not.match(run.stderr, 'This is a bug', `${point}: ${run.stderr}`);
      assert.equal(left(home), [], `${signal} at ${point} left ${left(home)}`);
      const now = full(home);
      if (run.code === EXIT_OF[signal]) {
        rolledBack += 1;
        assert.equal(snapshotDiff(before, now), [], `${signal} at ${point}: exit ${run.code} but the pack is not as before`);
        assert.match(run.stderr, 'rolled back', point);
        assert.not.match(run.stderr, /Applied/, point);
      } else {
        finished += 1;
        assert.is(run.code, 0, `${signal} at ${point}: ${run.stderr}`);
        now.delete('updates/wso2update/state.json');
        assert.equal(snapshotDiff(after, now), [], `${signal} at ${point}: exit 0 but the pack is not as applied`);
        assert.is(JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level, 1);
        assert.match(run.stderr, 'point of no return', point);
      }
    }
    // Every journal step before the commit rolls back; only the pause between the last check and the unlink is past it.
    assert.ok(rolledBack > 10, `only ${rolledBack} points rolled back`);
    assert.is(finished, 1, `${finished} points finished: only the one at the commit point may`);
    console.log(`${signal} sweep: ${rolledBack} points rolled back exactly, ${finished} past the point of no return finished`);
  });
}

test('an interrupt very early (as apply starts, before the lock or while checking): never "a bug", nothing left, the pack as before', async () => {
  const { home: template, plan, before } = await preparedHome();
  for (const [delay, signal] of [[0, 'SIGINT'], [30, 'SIGTERM'], [60, 'SIGINT'], [120, 'SIGTERM'], [200, 'SIGINT']] as const) {
    const home = join(tmpDir(), 'home');
    cpSync(template, home, { recursive: true, verbatimSymlinks: true });
    const child = spawnCli(['apply', plan, '--home', home], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const t = setTimeout(() => child.kill(signal), delay);
    const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    clearTimeout(t);
    assert.not.match(stderr, 'This is a bug', `${signal} after ${delay} ms: ${stderr}`);
    assert.not.match(stderr, 'operation was aborted', `${signal} after ${delay} ms`);
    assert.equal(left(home), [], `${signal} after ${delay} ms left ${left(home)}`);
    if (code === 0) continue; // the small plan was applied before the signal came: a fair outcome
    // Before any handler is installed the signal ends the process as the shell expects; after, the code says it.
    assert.ok(code === EXIT_OF[signal] || sig === signal, `${signal} after ${delay} ms: exit ${code ?? sig}: ${stderr}`);
    assert.equal(snapshotDiff(before, full(home)), [], `${signal} after ${delay} ms: the pack changed`);
  }
});

test('a signal once the run is over (from its progress\'s last line to the exit): it ends nothing, exit 0 over the applied pack, never "killed"', async () => {
  const { home: template, plan, after } = await preparedHome();
  // "Commit..." is the progress's last line: what follows (the log line, the report, the audit record, the code
  // cache, Node's exit) only tells the outcome. Found: a signal there, above all in Node's own teardown (which puts
  // every signal back to its default action), ended the finished run as "killed by SIGTERM" over the applied pack.
  for (let delay = 0; delay <= 12; delay += 1) {
    const signal = delay % 3 === 2 ? 'SIGINT' : 'SIGTERM';
    const home = join(tmpDir(), 'home');
    cpSync(template, home, { recursive: true, verbatimSymlinks: true });
    const child = spawnCli(['apply', plan, '--home', home], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (!/^Commit/m.test(stderr) && /^Commit/m.test(stderr + d)) setTimeout(() => child.kill(signal), delay);
      stderr += d;
    });
    const [code, sig] = await new Promise<[number | null, NodeJS.Signals | null]>((r) => child.on('close', (c, s) => r([c, s])));
    assert.equal([code, sig], [0, null], `${signal} ${delay} ms after the last progress line: ${stderr}`);
    assert.equal(left(home), [], `${signal} ${delay} ms after: left ${left(home)}`);
    const now = full(home);
    now.delete('updates/wso2update/state.json');
    assert.equal(snapshotDiff(after, now), [], `${signal} ${delay} ms after: the pack is not as applied`);
  }
});

test('the reported case: a 1,500-file level, SIGINT or SIGTERM as the swap starts (no test pause): the truth, and mostly a rollback', async () => {
  const files = (tag: string) => Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`repository/components/plugins/p${String(i).padStart(4, '0')}.jar`, `${tag}-${i}`]));
  const f = await makeFixture([{ ...LEVEL0, ...files('v0') }, { ...LEVEL0, ...files('v1') }]);
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  const before = full(f.home);
  let rolledBack = 0;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGINT', 'SIGTERM'] as const) {
    const home = join(tmpDir(), 'home');
    cpSync(f.home, home, { recursive: true, verbatimSymlinks: true });
    // Plain progress (no terminal): "Swap files into place..." is written as the swap starts.
    const child = spawnCli(['apply', plan, '--home', home], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      if (!stderr.includes('Swap files into place') && (stderr + d).includes('Swap files into place')) child.kill(signal);
      stderr += d;
    });
    const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
    assert.equal(left(home), [], `${signal}: left ${left(home)}`);
    if (code === EXIT_OF[signal]) {
      rolledBack += 1;
      assert.equal(snapshotDiff(before, full(home)), [], `${signal}: exit ${code} but not as before`);
      assert.not.match(stderr, /Applied/, signal);
    } else {
      // Finished before the signal was seen: then it must say so, never "rolling back" and then "Applied" alone.
      assert.is(code, 0, `${signal}: ${stderr}`);
      if (stderr.includes('Interrupted: ')) assert.match(stderr, 'point of no return', signal);
    }
  }
  assert.ok(rolledBack >= 2, `only ${rolledBack} of 4 interrupts as the swap started rolled back`);
});

test.run();
