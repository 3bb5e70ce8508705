// Issue 8 (a new user's first hour): WSO2 flags that reverted under --dry-run or were refused in one order and not the
// other, and the small option-parsing slips (-v, --level -1, ----expect-digest, `help`, a literal `<command>`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { makeFixture, snapshotDiff } from '../../helpers/pack.js';
import { atLevel1, full, paste, stateOf } from '../../helpers/pack-cli.js';
import { installCli, runCli, tmpDir, PROG } from '../../helpers/tmp.js';

test('WSO2 flags combine in any order: --dry-run never changes anything, nonsense is refused with a sentence, --yes goes anywhere', async () => {
  const f = await atLevel1();
  const cwd = tmpDir(); // where --dry-run's plan file lands, outside the pack
  const before = full(f.home);
  const cases: [string[], number, RegExp][] = [
    [['--dry-run', '--revert', '--yes'], 0, /Would revert 1 update: level 1 -> 0, \d+ files\. Nothing was changed/],
    [['--revert', '--dry-run', '--yes'], 0, /Would revert 1 update/],
    [['--yes', '--revert', '--dry-run'], 0, /Would revert 1 update/],
    [['revert', '--dry-run', '--yes'], 0, /Would revert 1 update/],
    [['--dry-run', '--yes'], 0, /Plan: .*\n[\s\S]*Dry run: nothing was written/],
    [['--yes', '--dry-run', '-l', '2'], 0, /level 1 -> 2/],
    [['--revert', '--continue', '--yes'], 1, /--revert and --continue pull opposite ways/],
    [['--continue', '--revert'], 1, /--revert and --continue pull opposite ways/],
    [['--continue', '--dry-run', '--yes'], 1, /--continue has no dry run/],
    [['--revert', '--level', '0', '--yes'], 1, /--level picks the level to update to; it does not go with --revert/],
    [['--continue', '-l', '2'], 1, /--level belongs to a new update/],
    [['apply', '--dry-run', '--yes'], 1, /apply has no --dry-run/],
    [['recover', '--dry-run'], 1, /recover has no --dry-run/],
    [['apply', '--revert', '--yes'], 1, /--revert does not go with the apply command/],
    [['status', '--dry-run'], 0, /at level 1/],
  ];
  for (const [args, code, message] of cases) {
    const r = await runCli([...args, '--home', f.home], { cwd });
    assert.is(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
    if (code === 1) assert.match(r.stderr, 'Nothing was changed', args.join(' '));
    assert.not.match(r.stderr, /Unknown option|This is a bug/, args.join(' '));
    assert.equal(snapshotDiff(before, full(f.home)), [], args.join(' '));
  }
  const real = await runCli(['--yes', '--revert', '--home', f.home], { cwd });
  assert.is(real.code, 4, real.stderr);
  assert.is(stateOf(f.home).level, 0);
});

test('-v is WSO2\'s --verbose, not --version; --level -1 and ----expect-digest; `help`; no literal <command>', async () => {
  const f = await makeFixture();
  const help = await runCli(['--help']);
  assert.is(help.code, 0);
  assert.not.match(help.stdout, /-v\b/);
  assert.match(help.stdout, '--version');
  const v = await runCli(['-v', 'status', '--home', f.home]);
  assert.is(v.code, 0, v.stderr);
  assert.match(v.stderr, 'Note: --verbose: ignored');
  assert.not.match(v.stdout, /^wso2update \d/);
  for (const args of [['--level', '-1', '--dry-run'], ['plan', '--level', '-1'], ['-l', '-1', '--dry-run']]) {
    const r = await runCli([...args, '--home', f.home]);
    assert.is(r.code, 1, args.join(' '));
    assert.match(r.stderr, '--level must be a whole number >= 0', args.join(' '));
    assert.match(r.stderr, 'never updated', args.join(' '));
    assert.not.match(r.stderr, 'Unknown option');
  }
  const digest = await runCli(['apply', '--home', f.home, '--expect-digest', 'abc', '--yes']);
  assert.is(digest.code, 1);
  assert.match(digest.stderr, 'Error: --expect-digest must be a sha256');
  assert.not.match(digest.stderr, '---');
  const to = await runCli(['revert', '--home', f.home, '--to-level', 'x', '--yes']);
  assert.match(to.stderr, 'Error: --to-level must be');
  assert.not.match(to.stderr, '---');
  const cmd = await runCli(['help']);
  assert.is(cmd.code, 0, cmd.stderr);
  assert.equal(cmd.stdout, help.stdout);
  const one = await runCli(['help', 'apply']);
  assert.equal(one.stdout, (await runCli(['apply', '--help'])).stdout);
  const bad = await runCli(['plan', '--home', f.home, '--bogus']);
  assert.is(bad.code, 1);
  assert.match(bad.stderr, new RegExp(`\`${PROG} plan --help\``));
  assert.not.match(bad.stderr, '<command>');
  const missing = await runCli(['plan', '--home']);
  assert.match(missing.stderr, 'Error: --home needs a value');
  assert.not.match(missing.stderr, '<command>');
  // Issue 17: in the single executable cac's error was told apart by its class name, which minification changes.
  const bin = join(f.home, 'bin');
  installCli(join(bin, 'wso2update_linux'));
  for (const line of ['./wso2update_linux -l', './wso2update_linux --level', './wso2update_linux --dry-run -l']) {
    const r = await paste(line, bin);
    assert.is(r.code, 1, `${line}: ${r.stderr}`);
    assert.match(r.stderr, /Error: --level needs a value/, line);
    assert.not.match(r.stderr, 'This is a bug', line);
  }
});

test.run();
