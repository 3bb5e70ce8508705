// The Windows single executable (wso2update_windows.exe) run through a real flow under Wine, which enforces Windows'
// rules for fsync and for renaming or deleting open files (issue 18). Levels are published on Linux (keygen,
// publish); then, with the .exe: init (signed), check, plan, show, an apply while a replaced jar is held open the
// way a JVM holds it (rolled back, then applied once released), apply stopping at a conflict, the .final file,
// apply --continue, status, revert (the pack byte-identical afterwards, checked from Linux), a failing and a passing
// --health-cmd (cmd.exe), WSO2's habit from bin/ (no command word, --dry-run, current-state, --revert), both kinds of
// self-update from the signed folder channel, and a refused connection (a network error, exit 1).
// Wine's own limits, designed around: output through files (pipes between processes fail), a folder repository
// (loopback TCP from Node fails), a pack without symlinks (Wine does not show Unix symlinks).
// test-needs-checkout: it runs the Windows executable under Wine itself; runCli here only publishes the levels on Linux
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { manifestRel } from '../../src/core/layout.js';
import { snapshot, snapshotDiff } from '../helpers/pack.js';
import { seaRelease } from '../helpers/sea.js';
import { runCli, tmpDir } from '../helpers/tmp.js';
import { freshWine, hasWine, WINE_HINT, winPath, type Wine } from '../helpers/wine.js';

const EXE = 'wso2update_windows.exe';
const PRODUCT = 'wso2am-4.2.0';
const wineThere = hasWine();
const dir = tmpDir('wso2update-wine-');
const started = Date.now();
const steps: string[] = [];

const jar = (seed: number) => Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 31 + seed * 7) % 256));
const toml = (port: number, host = 'localhost') => `[server]\nhostname = "${host}"\nport = ${port}\n\n[database]\nurl = "jdbc:h2:./db"\n`;
const log4j = (level: string, extra = '') => `rootLogger.level = ${level}\nappender.console.type = Console\n${extra}appender.console.name = CONSOLE\n`;

/** Level trees: path -> [content, executable]. Level 1 changes a script, replaces a jar, adds and removes one. */
const LEVELS: Record<number, Record<string, [string | Buffer, boolean]>> = {
  0: {
    'bin/wso2server.sh': ['#!/bin/sh\necho "starting 0"\n', true], 'bin/wso2server.bat': ['@echo off\r\necho starting 0\r\n', false],
    'lib/core.jar': [jar(0), false], 'lib/old.jar': [jar(9), false], 'repository/conf/deployment.toml': [toml(9443), false],
    'repository/conf/log4j2.properties': [log4j('INFO'), false], 'README.txt': ['WSO2 API Manager\n', false],
  },
  1: {
    'bin/wso2server.sh': ['#!/bin/sh\necho "starting 1"\n', true], 'bin/wso2server.bat': ['@echo off\r\necho starting 0\r\n', false],
    'lib/core.jar': [jar(1), false], 'lib/new.jar': [jar(2), false], 'repository/conf/deployment.toml': [toml(9444), false],
    'repository/conf/log4j2.properties': [log4j('WARN'), false], 'README.txt': ['WSO2 API Manager\n', false],
  },
};

function writeTree(root: string, files: Record<string, [string | Buffer, boolean]>): void {
  for (const [rel, [data, exec]] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), data, { mode: exec ? 0o755 : 0o644 });
  }
}

const repo = join(dir, 'repo');
const keys = join(dir, 'keys');
const home = join(dir, PRODUCT);
const tools = join(dir, 'tools');
let wine: Wine;
let windows: string;

/** The pack as shipped at level 0 with the operator's edits: a port (conflicts with level 1) and a logger line (merges). */
function writeHome(): void {
  writeTree(home, LEVELS[0]);
  writeFileSync(join(home, 'repository/conf/deployment.toml'), toml(8443, 'apim.example.com'));
  writeFileSync(join(home, 'repository/conf/log4j2.properties'), log4j('INFO', 'appender.console.layout.type = PatternLayout\n'));
  mkdirSync(join(home, 'updates'));
  writeFileSync(join(home, 'updates/product.txt'), `${PRODUCT}\n`);
  mkdirSync(join(home, 'repository/logs'), { recursive: true });
  writeFileSync(join(home, 'repository/logs/wso2carbon.log'), 'runtime data, never touched\n');
}

/** The pack's own files (updates/ is the tool's state and changes with every run). */
const pack = () => snapshot(home, (r) => r === 'updates');

const exe = (...args: string[]) => step(args.join(' '), () => wine.run(join(tools, EXE), args, { cwd: dir }));
const fromBin = (...args: string[]) => step(`bin\\${EXE} ${args.join(' ')}`, () => wine.run(join(home, 'bin', EXE), args, { cwd: join(home, 'bin') }));

async function step<T>(name: string, run: () => Promise<T>): Promise<T> {
  const t = Date.now();
  const r = await run();
  steps.push(`${name.split(winPath(dir)).join('%T%')}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r;
}

test(`wine is installed (${WINE_HINT.split(': ')[1]})`, () => {
  assert.ok(wineThere, WINE_HINT);
});

test('setup: a fresh Windows 10 prefix, the Windows executable, two signed levels published on Linux', async () => {
  if (!wineThere) return;
  wine = freshWine(join(dir, 'wine'));
  windows = seaRelease('0.1.0', false, 'win32-x64');
  mkdirSync(tools);
  copyFileSync(join(windows, EXE), join(tools, EXE));
  assert.is((await runCli(['keygen', '--keys', keys])).code, 0);
  for (const level of [0, 1]) {
    const tree = join(dir, `tree-${level}`);
    writeTree(tree, LEVELS[level]);
    const r = await runCli(['publish', '--repo', repo, '--product', PRODUCT, '--level', String(level), '--tree', tree, '--keys', keys]);
    assert.is(r.code, 0, r.stderr);
  }
  writeHome();
  const v = await exe('--version');
  assert.is(v.code, 0, v.stderr);
  assert.is(v.stdout.trim(), 'wso2update 0.1.0');
});

const H = () => winPath(home);
const planFile = () => join(dir, 'plan.json');
let original: Map<string, string>;

test('init (signed), check, plan, show: the 0755 script is not a customization, hints are typed as in cmd.exe', async () => {
  if (!wineThere) return;
  original = pack();
  const init = await exe('init', '--home', H(), '--repo', winPath(repo), '--trust-root', winPath(join(repo, 'metadata/1.root.json')));
  assert.is(init.code, 0, init.stderr);
  assert.match(init.stderr, /7 shipped files: 5 as shipped, 2 customized, 0 missing/);
  assert.not.match(init.stderr, /wso2server\.sh/);
  assert.not.match(init.stderr, /'/, 'no POSIX single quotes in hints');
  assert.is((await exe('check', '--home', H())).code, 10);
  const plan = await exe('plan', '--home', H(), '--out', winPath(planFile()));
  assert.is(plan.code, 3, plan.stderr);
  assert.match(plan.stderr, /conflict\s+repository\/conf\/deployment\.toml/);
  assert.not.match(plan.stderr, /chmod/);
  assert.match(plan.stderr, /show Z:\\/);
  const show = await exe('show', winPath(planFile()));
  assert.is(show.code, 0, show.stderr);
  assert.match(show.stdout, /lib\/core\.jar/);
  assert.equal(snapshotDiff(original, pack()), [], 'planning changes nothing');
});

test('a refused connection is a network error naming the address (exit 1), not unsigned metadata (exit 7)', async () => {
  if (!wineThere) return;
  const r = await exe('check', '--home', H(), '--repo', 'http://127.0.0.1:9/', '--connect-timeout', '2');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /127\.0\.0\.1:9/);
  assert.not.match(r.stderr, /signed/);
});

test('apply while lib/core.jar is held open without delete sharing: rolled back cleanly, named; applies once released', async () => {
  if (!wineThere) return;
  // cmd.exe opens the redirected file as a JVM opens its jars (no FILE_SHARE_DELETE); ping keeps it open.
  const holder: ChildProcess = wine.start('cmd', ['/c', 'echo held> ..\\holder.txt & ping -n 60 127.0.0.1 < core.jar'], join(home, 'lib'));
  const exited = new Promise((r) => holder.on('exit', r));
  for (let i = 0; i < 300 && !existsSync(join(home, 'holder.txt')); i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500)); // the holder.txt line runs just before ping opens its input
  rmSync(join(home, 'holder.txt'));
  const held = await exe('apply', winPath(planFile()), '--home', H(), '--yes');
  assert.is(held.code, 1, held.stderr);
  assert.match(held.stderr, /lib\\core\.jar is in use by another program/);
  assert.match(held.stderr, /Stop the product/);
  assert.equal(snapshotDiff(original, pack()), [], 'rolled back: the pack as before');
  wine.stop(); // the holder ends
  await exited;
  const stopped = await exe('apply', winPath(planFile()), '--home', H(), '--yes');
  assert.is(stopped.code, 3, stopped.stderr);
  assert.ok(existsSync(join(home, 'repository/conf/deployment.toml.original')));
  assert.ok(existsSync(join(home, 'repository/conf/deployment.toml.new')));
  assert.ok(readFileSync(join(home, 'lib/core.jar')).equals(jar(1)));
});

test('the .final file, apply --continue, status, then revert: the pack is byte-identical to before (from Linux)', async () => {
  if (!wineThere) return;
  writeFileSync(join(home, 'repository/conf/deployment.toml.final'), toml(8444, 'apim.example.com'));
  const cont = await exe('apply', '--continue', '--home', H(), '--yes');
  assert.is(cont.code, 0, cont.stderr);
  assert.is(readFileSync(join(home, 'repository/conf/deployment.toml'), 'utf8'), toml(8444, 'apim.example.com'));
  assert.is(readFileSync(join(home, 'repository/conf/log4j2.properties'), 'utf8'), log4j('WARN', 'appender.console.layout.type = PatternLayout\n'));
  assert.not.ok(existsSync(join(home, 'lib/old.jar')));
  const status = await exe('status', '--home', H());
  assert.is(status.code, 0, status.stderr);
  assert.match(status.stdout + status.stderr, /at level 1/);
  const revert = await exe('revert', '--home', H(), '--yes');
  assert.is(revert.code, 4, revert.stderr);
  assert.equal(snapshotDiff(original, pack()), []);
});

test('--health-cmd runs in cmd.exe: a failing check reverts (exit 8, pack as before), a passing one keeps the update', async () => {
  if (!wineThere) return;
  const failing = await exe('apply', '--home', H(), '--yes', '--on-conflict', 'keep-mine', '--health-cmd', 'exit 3');
  assert.is(failing.code, 8, failing.stderr);
  assert.not.match(failing.stderr, /ENOENT/);
  assert.equal(snapshotDiff(original, pack()), []);
  // A check that hangs is ended at its timeout, its whole tree (taskkill /T: no process groups on Windows).
  const hanging = await exe('apply', '--home', H(), '--yes', '--on-conflict', 'keep-mine', '--health-cmd', 'ping -n 60 127.0.0.1', '--health-timeout', '3');
  assert.is(hanging.code, 8, hanging.stderr);
  assert.match(hanging.stderr, /timed out|timeout/i);
  assert.equal(snapshotDiff(original, pack()), []);
  const passing = await exe('apply', '--home', H(), '--yes', '--on-conflict', 'keep-mine', '--health-cmd', 'if exist bin\\wso2server.bat (exit 0) else (exit 1)');
  assert.is(passing.code, 0, passing.stderr);
  assert.ok(readFileSync(join(home, 'lib/core.jar')).equals(jar(1)));
  assert.is((await exe('revert', '--home', H(), '--yes')).code, 4);
  assert.equal(snapshotDiff(original, pack()), []);
});

test("WSO2's habit: the .exe in bin/ as wso2update_windows.exe, no command word, --dry-run, current-state, --revert", async () => {
  if (!wineThere) return;
  copyFileSync(join(tools, EXE), join(home, 'bin', EXE));
  original = pack();
  const dry = await fromBin('--dry-run');
  assert.is(dry.code, 3, dry.stderr);
  assert.match(dry.stderr, /\.\\wso2update_windows\.exe /, 'hints name the executable as cmd.exe and PowerShell run it');
  const update = await fromBin('--yes');
  assert.is(update.code, 3, update.stderr);
  writeFileSync(join(home, 'repository/conf/deployment.toml.final'), toml(8444, 'apim.example.com'));
  const cont = await fromBin('--continue', '--yes');
  assert.is(cont.code, 0, cont.stderr);
  const state = await fromBin('current-state');
  assert.is(state.code, 0, state.stderr);
  assert.match(state.stdout + state.stderr, /at level 1/);
  const revert = await fromBin('--revert', '--yes');
  assert.is(revert.code, 4, revert.stderr);
  assert.equal(snapshotDiff(original, pack()), []);
});

test('self-update from the signed folder channel: a code bundle (exit 2), then a new executable swapped in (exit 2)', async () => {
  if (!wineThere) return;
  const code = seaRelease('0.1.1', true);
  const pub = await runCli(['publish-tool', '--repo', repo, '--keys', keys, '--version', '0.1.1', '--from', code]);
  assert.is(pub.code, 0, pub.stderr);
  // check self-updates first (status, a read-only command, never does).
  const first = await fromBin('check');
  assert.is(first.code, 2, first.stderr);
  assert.match(first.stderr, /updated itself from 0\.1\.0 to 0\.1\.1 \(code bundle/);
  assert.is((await fromBin('--version')).stdout.trim(), 'wso2update 0.1.1');
  // 0.2.0 for another launcher contract, so the executable itself must be replaced (renamed aside while it runs).
  const exe020 = join(dir, 'release-0.2.0');
  cpSync(seaRelease('0.2.0', false, 'win32-x64'), exe020, { recursive: true });
  const rel = JSON.parse(readFileSync(join(exe020, 'release.json'), 'utf8'));
  writeFileSync(join(exe020, 'release.json'), JSON.stringify({ ...rel, runtime: 'node20.20.2-abi999' }));
  const pub2 = await runCli(['publish-tool', '--repo', repo, '--keys', keys, '--version', '0.2.0', '--from', exe020]);
  assert.is(pub2.code, 0, pub2.stderr);
  const second = await fromBin('check');
  assert.is(second.code, 2, second.stderr);
  assert.match(second.stderr, /updated itself from 0\.1\.1 to 0\.2\.0/);
  assert.ok(readFileSync(join(home, 'bin', EXE)).equals(readFileSync(join(exe020, EXE))));
  const after = await fromBin('--version');
  assert.is(after.stdout.trim(), 'wso2update 0.2.0', after.stderr);
  assert.is((await fromBin('status')).code, 0);
});

test('publish on Windows with keys made on Linux (Windows reports every file as mode 0666: no POSIX mode check)', async () => {
  if (!wineThere) return;
  const tree = join(dir, 'tree-2');
  writeTree(tree, { ...LEVELS[1], 'lib/fix.jar': [jar(3), false] });
  const r = await fromBin('publish', '--repo', winPath(repo), '--product', PRODUCT, '--level', '2', '--tree', winPath(tree), '--keys', winPath(keys));
  assert.is(r.code, 0, r.stderr);
  assert.is((await fromBin('check')).code, 10, 'the pack sees the level published from Windows');
  // Windows reads the script as 0644: the level keeps level 1's 0755 (a Linux node must not lose its exec bit).
  const files = JSON.parse(readFileSync(join(repo, manifestRel(PRODUCT, 2)), 'utf8')).files;
  assert.is(files['bin/wso2server.sh'].mode, '0755');
  assert.is(files['lib/fix.jar'].mode, '0644');
  assert.match(r.stderr, /no file modes/);
});

test.after(() => {
  if (!wineThere) return;
  wine.stop();
  process.stderr.write(`windows under wine: ${steps.length} runs of the .exe in ${((Date.now() - started) / 1000).toFixed(0)} s\n  ${steps.join('\n  ')}\n`);
});

test.run();
