// Issue 8, the bugs a new user hit in their first hour, each through real processes: an empty plan that burned a
// generation, `revert --to-level 0` that never ended, WSO2 flags that reverted under --dry-run or were refused in
// one order and not the other, hints that failed when pasted, and the small option-parsing slips (-v, --level -1,
// ----expect-digest, `help`, a literal `<command>`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, snapshot, snapshotDiff, type Fixture } from '../../helpers/pack.js';
import { CLI_LINE, installCli, runCli, runShell, tmpDir, PROG } from '../../helpers/tmp.js';

/** Everything of the pack that a run could change, kept generations and state included; not the lock or logs. */
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));
const stateOf = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));

async function atLevel1(): Promise<Fixture> {
  const f = await makeFixture();
  const r = await runCli(['apply', '--home', f.home, '--level', '1', '--yes']);
  assert.is(r.code, 0, r.stderr);
  return f;
}

/** Runs a pasted command line through a real shell, as a user pasting it would. */
const paste = (commandLine: string, cwd: string) => runShell(commandLine, { cwd });

/** The backticked command after `label` in a run's output. */
function hint(text: string, label: RegExp): string {
  const m = new RegExp(`${label.source}[^\`]*\`([^\`]+)\``).exec(text);
  assert.ok(m, `no hint after ${label} in:\n${text}`);
  return (m as RegExpExecArray)[1];
}

test('an empty plan says "No changes" and leaves pack, serial and generations alone: plan, apply PLAN, one-shot apply', async () => {
  const f = await atLevel1();
  const before = full(f.home);
  const serial = stateOf(f.home).serial;
  const out = join(tmpDir(), 'empty.json');
  const plan = await runCli(['plan', '--home', f.home, '--level', '1', '--out', out, '--detailed-exitcode']);
  assert.is(plan.code, 0, plan.stderr);
  assert.match(plan.stderr, 'No changes: the pack is already at level 1');
  assert.not.match(plan.stderr, 'apply:');
  // Applied again and again (the "after a few of these"), it must never take a generation.
  for (let i = 0; i < 4; i++) {
    const r = await runCli(['apply', out, '--home', f.home]);
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stderr, 'No changes: the pack is already at level 1; nothing was applied');
    assert.not.match(r.stderr, /Applied|generation g/);
  }
  const oneShot = await runCli(['apply', '--home', f.home, '--level', '1', '--yes']);
  assert.is(oneShot.code, 0, oneShot.stderr);
  assert.match(oneShot.stderr, 'No changes');
  assert.not.match(oneShot.stderr, /Apply this plan|Applied/);
  assert.equal(snapshotDiff(before, full(f.home)), []);
  assert.is(stateOf(f.home).serial, serial);
  // The real 0 -> 1 generation is still there: level 0 can be reached.
  const back = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
  assert.is(back.code, 4, back.stderr);
  assert.is(stateOf(f.home).level, 0);
});

test('revert --to-level 0 ends on a pack where an empty apply once took a generation (1 -> 1)', async () => {
  const f = await atLevel1();
  const pristine = await makeFixture();
  // What an empty apply recorded before the fix: a generation 1 -> 1 that changed no pack file, kept the level-1
  // manifest copy, and moved the serial.
  const state = stateOf(f.home);
  const id = `g${state.serial + 1}-1-1`;
  const dir = join(f.home, 'updates/wso2update/generations', id);
  const digest = 'e'.repeat(64);
  cpSync(join(f.home, 'updates/wso2update/manifest.json'), join(dir, 'files/updates/wso2update/manifest.json'), { recursive: true });
  writeFileSync(join(dir, 'generation.json'), JSON.stringify({ formatVersion: 1, id, planDigest: digest, direction: 'update', product: state.product, fromLevel: 1, toLevel: 1, entries: [] }));
  state.generations.push({ id, fromLevel: 1, toLevel: 1, planDigest: digest, committedAt: '2026-11-30T00:00:00.000Z', direction: 'update' });
  state.serial += 1;
  writeFileSync(join(f.home, 'updates/wso2update/state.json'), JSON.stringify(state, null, 2));

  const dry = await runCli(['revert', '--home', f.home, '--to-level', '0', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, 'Would revert 2 updates: level 1 -> 0');
  const started = Date.now();
  const r = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
  assert.is(r.code, 4, r.stderr);
  assert.ok(Date.now() - started < 60_000, 'took over a minute');
  assert.is(stateOf(f.home).level, 0);
  const skip = (rel: string) => rel.startsWith('updates/');
  assert.equal(snapshotDiff(snapshot(pristine.home, skip), snapshot(f.home, skip)), [], 'the pack is level 0 again');
});

test('plain revert and revert --to-level agree on "nothing to revert" (exit 1, nothing changed)', async () => {
  const f = await makeFixture();
  const before = full(f.home);
  for (const args of [['revert'], ['revert', '--to-level', '0'], ['--revert']]) {
    const r = await runCli([...args, '--home', f.home, '--yes']);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^Error: nothing to revert: /, args.join(' '));
    assert.not.match(r.stderr, 'Reverted');
  }
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

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

test('pasted hints work: plan --home X prints an apply that carries --home; the --continue hint too', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'patched' }); // level 1 changes the jar: a conflict
  const out = join(tmpDir(), 'p.json');
  const elsewhere = tmpDir();
  const plan = await runCli(['plan', '--home', f.home, '--level', '1', '--out', out], { cwd: elsewhere });
  assert.is(plan.code, 3, plan.stderr);
  const apply = hint(plan.stderr, /apply:/);
  assert.match(apply, `${CLI_LINE} apply ${out} --home ${f.home}`);
  assert.match(hint(plan.stderr, /review:/), `${CLI_LINE} show ${out}`);
  // Pasted in yet another folder: it still finds the pack.
  const applied = await paste(apply, tmpDir());
  assert.is(applied.code, 3, applied.stderr);
  const cont = hint(applied.stderr, /Then run /);
  assert.match(cont, `apply --continue --home ${f.home}`);
  writeFileSync(join(f.home, 'lib/a.jar.final'), readFileSync(join(f.home, 'lib/a.jar.new')));
  const done = await paste(cont, tmpDir());
  assert.is(done.code, 0, done.stderr);
  assert.is(stateOf(f.home).level, 1);
});

test('run as ./wso2update_linux from bin/, hints use that name and work when pasted there', async () => {
  const f = await makeFixture();
  const bin = join(f.home, 'bin');
  installCli(join(bin, 'wso2update_linux'));
  const dry = await paste('./wso2update_linux --dry-run', bin);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(hint(dry.stderr, /To apply this update: /), /^\.\/wso2update_linux apply --level 2 --home /);
  const planned = await paste(hint(dry.stderr, /to keep the plan for review: /).replace('FILE', 'reviewed.json'), bin);
  assert.is(planned.code, 0, planned.stderr);
  const apply = hint(planned.stderr, /apply:/);
  assert.match(apply, /^\.\/wso2update_linux apply \S*reviewed\.json --home /);
  const applied = await paste(apply, bin);
  assert.is(applied.code, 0, applied.stderr);
  assert.is(stateOf(f.home).level, 2);
  const nothing = await paste('./wso2update_linux --revert --to-level 2 --yes', bin);
  assert.match(nothing.stderr, /`\.\/wso2update_linux status --home /);
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
