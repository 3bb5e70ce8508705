// `apply --health-cmd` as a real child process: a passing check keeps the update; a failing or timed-out one
// reverts it at once (exit 8, the pack byte-identical to before, the check's last lines in the daily log); a plan
// that changes nothing never runs it; bad flags change nothing; --json callers get refusals as JSON on stdout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixtureWithPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { spawnCli, runCli, tmpDir } from '../../helpers/tmp.js';

// What a user sees of the pack; the pack's own record (serial, generations) and the log are expected to move on.
const visible = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs'));
const level = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level as number;
const log = (home: string) => readdirSync(join(home, 'updates/logs')).map((n) => readFileSync(join(home, 'updates/logs', n), 'utf8')).join('');

async function setup(toLevel = 1) {
  const f = await fixtureWithPlan(toLevel, true);
  return { ...f, before: visible(f.home) };
}

test('a passing check keeps the update; it ran in the product home after the commit', async () => {
  const s = await setup();
  const r = await runCli(['apply', s.plan, '--home', s.home, '--health-cmd', 'cat updates/config.json > ../seen.json && echo healthy']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /Health check passed in [\d.]+ s/);
  assert.is(level(s.home), 1);
  assert.is(JSON.parse(readFileSync(join(s.home, '..', 'seen.json'), 'utf8'))['update-level'], '1', 'the check saw the committed level');
  assert.match(log(s.home), /health check `cat updates\/config.json > ..\/seen.json && echo healthy` passed in/);
});

test('a failing check reverts the update: exit 8, the pack as before, its last lines in the log and the message', async () => {
  const s = await setup();
  const r = await runCli(['apply', s.plan, '--home', s.home, '--health-cmd', 'echo probing; echo "HTTP 503 from /health" >&2; exit 3', '--json']);
  assert.is(r.code, 8, r.stderr);
  assert.match(r.stderr, 'health check failed; reverted');
  assert.match(r.stderr, '| HTTP 503 from /health');
  assert.match(r.stderr, 'level 1 -> 0');
  assert.is(level(s.home), 0);
  assert.equal(snapshotDiff(s.before, visible(s.home)), []);
  const text = log(s.home);
  assert.match(text, /health check `.*` exited 3 after [\d.]+ s; last 2 line\(s\) of its output:/);
  assert.match(text, '  | probing');
  assert.match(text, '  | HTTP 503 from /health');
  assert.match(text, /revert g1-0-1 \(health check failed\): generation/);
  const err = JSON.parse(r.stdout).error;
  assert.is(err.code, 'health-check-failed');
  assert.is(err.exitCode, 8);
});

test('a check that outlives --health-timeout is stopped with its process group and the update reverted', async () => {
  const s = await setup();
  const pidFile = join(tmpDir(), 'server.pid');
  const started = Date.now();
  const r = await runCli(['apply', s.plan, '--home', s.home, '--health-cmd', `sleep 60 & echo $! > ${pidFile}; echo starting; wait`, '--health-timeout', '1']);
  assert.is(r.code, 8, r.stderr);
  assert.ok(Date.now() - started < 20_000);
  assert.match(r.stderr, /timed out after/);
  assert.equal(snapshotDiff(s.before, visible(s.home)), []);
  const pid = Number(readFileSync(pidFile, 'utf8'));
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    try { process.kill(pid, 0); await new Promise((res) => setTimeout(res, 20)); } catch { alive = false; }
  }
  assert.not.ok(alive, 'the check\'s background process survived the timeout');
});

test('a check that rewrites a file the update wrote (a start script regenerating config) still gets "before" back', async () => {
  const s = await setup();
  const r = await runCli(['apply', s.plan, '--home', s.home, '--health-cmd', 'echo regenerated > repository/conf/deployment.toml; exit 1']);
  assert.is(r.code, 8, r.stderr);
  assert.equal(snapshotDiff(s.before, visible(s.home)), []);
  assert.match(r.stderr, /kept in generation .*repository\/conf\/deployment.toml/);
  const gens = join(s.home, 'updates/wso2update/generations');
  const kept = readdirSync(gens).map((g) => join(gens, g, 'files/repository/conf/deployment.toml')).filter(existsSync);
  assert.ok(kept.some((k) => readFileSync(k, 'utf8') === 'regenerated\n'), 'the rewritten file was lost');
});

test('SIGINT while the check runs stops it (its group too) and counts as a failure: reverted, exit 8', async () => {
  const s = await setup();
  const marker = join(tmpDir(), 'checking');
  const child = spawnCli(['apply', s.plan, '--home', s.home, '--health-cmd', `touch ${marker}; sleep 60`], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const closed = new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  while (!existsSync(marker)) await new Promise((r) => setTimeout(r, 20));
  child.kill('SIGINT');
  assert.is(await closed, 8, stderr);
  assert.match(stderr, /was interrupted after/);
  assert.equal(snapshotDiff(s.before, visible(s.home)), []);
});

test('a plan that changes nothing never runs the check', async () => {
  const s = await setup(0);
  const marker = join(tmpDir(), 'ran');
  const r = await runCli(['apply', s.plan, '--home', s.home, '--health-cmd', `touch ${marker}; exit 1`]);
  assert.is(r.code, 0, r.stderr);
  assert.not.ok(existsSync(marker));
});

test('bad health flags are refused before anything is applied', async () => {
  const s = await setup();
  const cases: [string[], RegExp][] = [
    [['--health-timeout', '5'], /--health-timeout goes with --health-cmd/],
    [['--health-cmd', 'true', '--health-timeout', 'soon'], /--health-timeout must be a number of seconds/],
    [['--health-cmd', 'true', '--health-timeout', '0'], /--health-timeout must be a number of seconds/],
    [['--health-cmd='], /--health-cmd(.*is empty|.*value is missing|.*needs a value)/],
  ];
  for (const [flags, message] of cases) {
    const r = await runCli(['apply', s.plan, '--home', s.home, ...flags]);
    assert.is(r.code, 1, `${flags.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.is(level(s.home), 0);
  }
  assert.equal(snapshotDiff(s.before, visible(s.home)), []);
});

test('with --json a refusal is JSON on stdout too: a stale plan names its drifted paths', async () => {
  const s = await setup();
  writeFileSync(join(s.home, 'lib/a.jar'), 'edited on this node');
  const r = await runCli(['apply', s.plan, '--home', s.home, '--json']);
  assert.is(r.code, 5, r.stderr);
  const err = JSON.parse(r.stdout).error;
  assert.is(err.code, 'stale-plan');
  assert.is(err.exitCode, 5);
  assert.equal(err.paths, ['lib/a.jar']);
});

test.run();
