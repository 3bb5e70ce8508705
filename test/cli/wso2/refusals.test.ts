// Review regression: WSO2 habits through the real CLI. Found: `apply -l 4.3.0.1` on a 4.2.0 pack applied level 1
// (plan checked the version, apply did not); `apply PLAN --on-conflict take-theirs` silently applied the plan's own
// policy; WSO2's `-u user -p pass` and any unknown option ended in "This is a bug in wso2update".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writePlan } from '../../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { cliEnv, installCli, runCli, tmpDir } from '../../helpers/tmp.js';

const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));

test('refusals that change nothing: a level of another version, planning options beside a plan file', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'mine' });
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, 1));
  // The WSO2 binary name, run from <home>/bin as operators do.
  installCli(join(f.home, 'bin', 'wso2update_linux'));
  const before = full(f.home);
  const cases: [string, string[], string, RegExp][] = [
    ['apply --level of another version', ['apply', '--home', f.home, '--level', '4.3.0.1', '--yes'], 'bin', /4\.3\.0/],
    ['WSO2 binary -l of another version', [join(f.home, 'bin', 'wso2update_linux'), '-l', '4.3.0.2', '--yes'], 'bin', /4\.3\.0/],
    ['apply PLAN --on-conflict', ['apply', plan, '--home', f.home, '--on-conflict', 'take-theirs'], '', /--on-conflict/],
    ['apply PLAN --level', ['apply', plan, '--home', f.home, '--level', '2'], '', /--level/],
  ];
  for (const [name, args, cwd, message] of cases) {
    const run = args[0].endsWith('wso2update_linux') ? await runBinary(args, join(f.home, cwd)) : await runCli(args, { cwd: join(f.home, cwd) });
    assert.is(run.code, 1, `${name}: ${run.stderr}`);
    assert.match(run.stderr, message, name);
    assert.not.match(run.stderr, 'This is a bug', name);
    assert.equal(snapshotDiff(before, full(f.home)), [], name);
  }
});

/** Runs the WSO2-named copy itself (its basename is what selects the WSO2 behaviour). */
async function runBinary(args: string[], cwd: string) {
  const { spawnSync } = await import('node:child_process');
  const r = spawnSync(args[0], args.slice(1), { cwd, encoding: 'utf8', env: cliEnv({ ...process.env, CI: '1', NO_COLOR: '1' }), input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test("WSO2's -u/-p are taken as the repository credentials (a folder needs none), -c is noted; the password is never shown", async () => {
  const f = await makeFixture();
  for (const args of [['-u', 'alice', '-p', 'TopSecretPw', '-c', 'full'], ['--username=alice', '--password=TopSecretPw']]) {
    const r = await runCli(['check', '--home', f.home, ...args]);
    assert.is(r.code, 10, r.stderr);
    if (args.includes('-c')) assert.match(r.stderr, '-c: ignored');
    assert.not.match(r.stdout + r.stderr, 'TopSecretPw');
  }
  const bad = await runCli(['plan', '--home', f.home, '--bogus']);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, 'Unknown option `--bogus`');
  assert.not.match(bad.stderr, 'This is a bug');
});

test.run();
