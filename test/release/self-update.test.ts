// Self-update of the single executable from the pack's signed channel, with real executables and processes: a
// code-only release (exit 2, the code bundle beside the executable, the next run is the new version), a release that
// needs a new executable (swapped by rename, .previous kept until the next successful run), the switches that turn
// it off, a refused downgrade, a tampered release (exit 7, nothing changed), a release that fails its own --version
// (rolled back), kill -9 at every point of the swap, and a read-only bin/.
// test-needs-checkout: it runs the single executable itself (runExe, self-update on); runCli here only prepares channels and packs
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../scripts/build-fixtures.mjs';
import { codeHeaderLine, CODE_FILE } from '../../src/core/code-bundle.js';
import { SWAP_POINTS } from '../../src/selfupdate/swap.js';
import { EMPTY_PATH, runExe, seaRelease } from '../helpers/sea.js';
import { collect, runCli, tmpDir } from '../helpers/tmp.js';
import { startFaultServer } from '../helpers/servers.js';

const EXE = 'wso2update_linux';
const old = seaRelease('0.1.0');
const code011 = seaRelease('0.1.1', true);
const dir = tmpDir('wso2update-self-update-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; keys: string; root: string; product: string; trees: Record<number, string> };
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
let n = 0;

/** 0.2.0 built for another launcher contract: a client must take its executable, not its code bundle. */
const exe020 = (() => {
  const d = join(dir, 'release-0.2.0');
  cpSync(seaRelease('0.2.0'), d, { recursive: true });
  const rel = JSON.parse(readFileSync(join(d, 'release.json'), 'utf8'));
  writeFileSync(join(d, 'release.json'), JSON.stringify({ ...rel, runtime: 'node20.20.2-abi999' }));
  return d;
})();

/** A channel of its own and a pack adopted to it, with the old executable alone in bin/. */
async function setup(): Promise<{ repo: string; home: string; bin: string }> {
  const k = n++;
  const repo = join(dir, `repo-${k}`);
  cpSync(fx.repo, repo, { recursive: true });
  const home = writeHome(join(dir, `home-${k}`));
  const init = await runCli(['init', '--home', home, '--repo', repo, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  copyFileSync(join(old, EXE), join(home, 'bin', EXE));
  return { repo, home, bin: join(home, 'bin') };
}

/** The newest record of the pack's audit trail, its chain verified (`audit --verify`), read as a SIEM would (`audit --json`). */
async function lastAudit(bin: string): Promise<{ command: string; result: string; exitCode: number }> {
  const v = await runCli(['audit', '--verify', '--home', join(bin, '..')]);
  assert.is(v.code, 0, v.stderr);
  const r = await runCli(['audit', '--json', '--home', join(bin, '..')]);
  assert.is(r.code, 0, r.stderr);
  const { command, result, exitCode } = JSON.parse(r.stdout.trim().split('\n').at(-1) as string);
  return { command, result, exitCode };
}

async function publishTool(repo: string, version: string, from: string): Promise<void> {
  const r = await runCli(['publish-tool', '--repo', repo, '--keys', fx.keys, '--version', version, '--from', from]);
  assert.is(r.code, 0, r.stderr);
}

const run = (bin: string, args: string[], env: Record<string, string> = {}) => runExe(`./${EXE}`, args, { cwd: bin, env });
/** `check`'s exit on these packs when the tool did not update itself: levels are available (10). */
const CHECKED = 10;
const ours = (bin: string) => readdirSync(bin).filter((f) => f.includes('wso2update')).sort();

test('a code-only release: exit 2 with one line, ~1 MB beside the executable, the next run is the new version', async () => {
  const { repo, bin } = await setup();
  await publishTool(repo, '0.1.1', code011);
  const exeBefore = sha(join(bin, EXE));
  const r = await run(bin, ['check']);
  assert.is(r.code, 2, r.stderr);
  assert.is(r.stderr, `wso2update updated itself from 0.1.0 to 0.1.1 (code bundle, ${(statSync(join(code011, CODE_FILE)).size / 1_048_576).toFixed(1)} MB); run the same command again\n`);
  assert.equal(ours(bin), [CODE_FILE, EXE]);
  assert.is(sha(join(bin, EXE)), exeBefore, 'the executable is not replaced for a code-only release');
  assert.ok(statSync(join(bin, CODE_FILE)).size < 3 * 1_048_576);
  const again = await run(bin, ['status']);
  assert.is(again.code, 0, again.stderr);
  assert.is((await run(bin, ['--version'])).stdout, 'wso2update 0.1.1\n');
  const self = await run(bin, ['self-update']);
  assert.is(self.code, 0, self.stderr);
  assert.match(self.stderr, /0\.1\.1 is the newest release/);
});

test('publishing a level after a tool release keeps the release a signed target', async () => {
  const { repo, bin } = await setup();
  await publishTool(repo, '0.1.1', code011);
  const level = await runCli(['publish', '--repo', repo, '--product', fx.product, '--level', '4', '--tree', fx.trees[3], '--keys', fx.keys]);
  assert.is(level.code, 0, level.stderr);
  const snapshotVersion = JSON.parse(readFileSync(join(repo, 'metadata/timestamp.json'), 'utf8')).signed.meta['snapshot.json'].version as number;
  const targetsVersion = JSON.parse(readFileSync(join(repo, `metadata/${snapshotVersion}.snapshot.json`), 'utf8')).signed.meta['targets.json'].version as number;
  const signed = Object.keys(JSON.parse(readFileSync(join(repo, `metadata/${targetsVersion}.targets.json`), 'utf8')).signed.targets);
  assert.ok(signed.includes('tools/releases.json') && signed.includes('tools/0.1.1/wso2update.code'), signed.join(' '));
  const r = await run(bin, ['check']);
  assert.is(r.code, 2, r.stderr);
});

test('a mirror carries the newest tool release: a pack adopted to the mirror updates from it', async () => {
  const { repo } = await setup();
  await publishTool(repo, '0.1.1', code011);
  const copy = join(dir, `mirror-${n}`);
  const m = await runCli(['mirror', '--from', repo, '--to', copy, '--trust-root', fx.root]);
  assert.is(m.code, 0, m.stderr);
  const home = writeHome(join(dir, `mirrored-home-${n}`));
  assert.is((await runCli(['init', '--home', home, '--repo', copy, '--trust-root', fx.root])).code, 0);
  const bin = join(home, 'bin');
  copyFileSync(join(old, EXE), join(bin, EXE));
  const r = await run(bin, ['check']);
  assert.is(r.code, 2, r.stderr);
  assert.is((await run(bin, ['--version'])).stdout, 'wso2update 0.1.1\n');
});

test('--no-self-update, WSO2UPDATE_NO_SELF_UPDATE=1 and a checkout (node bin/wso2update.js) never update', async () => {
  const { repo, home, bin } = await setup();
  await publishTool(repo, '0.1.1', code011);
  assert.is((await run(bin, ['check', '--no-self-update'])).code, CHECKED);
  assert.is((await run(bin, ['check'], { WSO2UPDATE_NO_SELF_UPDATE: '1' })).code, CHECKED);
  assert.is((await runCli(['check', '--home', home])).code, CHECKED);
  const checkout = await runCli(['self-update', '--home', home]);
  assert.is(checkout.code, 1);
  assert.match(checkout.stderr, /only the single executable .* updates itself/);
  assert.equal(ours(bin), [EXE]);
});

test('downgrades are refused: publish-tool will not publish a version at or below the newest', async () => {
  const { repo } = await setup();
  await publishTool(repo, '0.1.1', code011);
  const list = readFileSync(join(repo, 'tools/releases.json'));
  const r = await runCli(['publish-tool', '--repo', repo, '--keys', fx.keys, '--version', '0.1.0', '--from', old]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /already has tool release 0\.1\.1; 0\.1\.0 is not newer/);
  assert.ok(readFileSync(join(repo, 'tools/releases.json')).equals(list));
  const wrong = await runCli(['publish-tool', '--repo', repo, '--keys', fx.keys, '--release-version', '0.3.0', '--from', code011]);
  assert.is(wrong.code, 1);
  assert.match(wrong.stderr, /holds release 0\.1\.1, not 0\.3\.0/);
});

test('a tampered release: exit 7, bin/ untouched, the old executable still runs', async () => {
  const { repo, bin } = await setup();
  await publishTool(repo, '0.1.1', code011);
  const stored = join(repo, 'tools/0.1.1', readdirSync(join(repo, 'tools/0.1.1')).find((f) => /^[0-9a-f]{64}\./.test(f)) as string);
  const bytes = readFileSync(stored);
  bytes[bytes.length - 2] ^= 1;
  writeFileSync(stored, bytes);
  const r = await run(bin, ['check']);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stderr, /sha256/);
  // the hint is about the tool release, not a level (issue 17: it said "Re-publish the level")
  assert.not.match(r.stderr, 'Re-publish the level');
  assert.match(r.stderr, /wso2update 0\.1\.1 \(tools\/0\.1\.1\/[^)]+\): [\s\S]*publish the tool release again \(publish-tool\)[\s\S]*--no-self-update/);
  assert.equal(ours(bin), [EXE]);
  assert.is(sha(join(bin, EXE)), sha(join(old, EXE)));
  assert.is((await run(bin, ['--version'])).stdout, 'wso2update 0.1.0\n');
  assert.is((await run(bin, ['check', '--no-self-update'])).code, CHECKED);
});

test('a release that fails its own --version after the swap is rolled back', async () => {
  const { repo, bin } = await setup();
  const bad = join(dir, 'release-bad');
  mkdirSync(bad);
  const body = Buffer.from("exports.main = async () => { process.stdout.write('wso2update 9.9.9\\n'); return 0; };\n");
  const code = Buffer.concat([Buffer.from(codeHeaderLine('0.1.2', createHash('sha256').update(body).digest('hex'))), body]);
  writeFileSync(join(bad, CODE_FILE), code);
  const release = { version: '0.1.2', runtime: JSON.parse(readFileSync(join(old, 'release.json'), 'utf8')).runtime, files: { [CODE_FILE]: { platform: 'code', sha256: createHash('sha256').update(code).digest('hex'), size: code.length } } };
  writeFileSync(join(bad, 'release.json'), JSON.stringify(release));
  await publishTool(repo, '0.1.2', bad);
  const r = await run(bin, ['check']);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stderr, /0\.1\.2 failed its own check after the swap: .*9\.9\.9.*rolled back to 0\.1\.0/);
  // The refusal is in the pack's audit trail (issue 23), and the chain still verifies.
  assert.equal(await lastAudit(bin), { command: 'self-update', result: 'refused', exitCode: 7 });
  assert.equal(ours(bin), [EXE]);
  assert.is((await run(bin, ['--version'])).stdout, 'wso2update 0.1.0\n');
});

test('a release for a new runtime swaps the executable; .previous stays until the next successful run', async () => {
  const { repo, bin } = await setup();
  await publishTool(repo, '0.2.0', exe020);
  const r = await run(bin, ['check']);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /^wso2update updated itself from 0\.1\.0 to 0\.2\.0 \(executable, \d+\.\d MB\); run the same command again\n$/);
  assert.is(sha(join(bin, EXE)), sha(join(exe020, EXE)));
  assert.is(sha(join(bin, `${EXE}.previous`)), sha(join(old, EXE)));
  // The swap is in the pack's audit trail (issue 23), as an apply's change would be.
  assert.equal(await lastAudit(bin), { command: 'self-update', result: 'applied', exitCode: 2 });
  const next = await run(bin, ['status']);
  assert.is(next.code, 0, next.stderr);
  assert.equal(ours(bin), [EXE]);
  assert.is((await run(bin, ['--version'])).stdout, 'wso2update 0.2.0\n');
});

/** Runs the executable paused at a swap point and kills it with SIGKILL there. */
function killAt(bin: string, point: string): Promise<boolean> {
  const marker = join(tmpDir(), 'paused');
  const env = [`PATH=${EMPTY_PATH}`, 'CI=1', `WSO2UPDATE_TEST_PAUSE_AT_SWAP=${point}`, `WSO2UPDATE_TEST_PAUSE_MARKER=${marker}`];
  const child = spawn('/usr/bin/env', ['-i', ...env, `./${EXE}`, 'check'], { cwd: bin, stdio: ['pipe', 'pipe', 'pipe'] });
  let paused = false;
  const poll = setInterval(() => {
    if (!paused && existsSync(marker)) {
      paused = true;
      child.kill('SIGKILL');
    }
  }, 5);
  return collect(child).then(() => { clearInterval(poll); return paused; });
}

test('kill -9 at every point of the swap (executable and code bundle) never leaves bin/ without a working executable', async () => {
  for (const [version, from] of [['0.2.0', exe020], ['0.1.1', code011]]) {
    for (const point of SWAP_POINTS) {
      const { repo, bin } = await setup();
      await publishTool(repo, version, from);
      assert.ok(await killAt(bin, point), `${version}: never reached ${point}`);
      const v = await run(bin, ['--version']);
      assert.is(v.code, 0, `${version} killed at ${point}: ${v.stderr}`);
      assert.match(v.stdout, new RegExp(`^wso2update (0\\.1\\.0|${version.replace(/\./g, '\\.')})\\n$`));
      const resumed = await run(bin, ['check']);
      assert.ok(resumed.code === CHECKED || resumed.code === 2, `${point}: ${resumed.stderr}`);
      if (resumed.code === 2) assert.is((await run(bin, ['check'])).code, CHECKED);
      assert.is((await run(bin, ['--version'])).stdout, `wso2update ${version}\n`, `${version} after a kill at ${point}`);
      assert.ok(ours(bin).every((f) => !f.endsWith('.tmp')), ours(bin).join(' '));
    }
  }
});

test('a read-only bin/: a clear error naming the folder, nothing changed, and the tool still works', async () => {
  const { repo, bin } = await setup();
  await publishTool(repo, '0.1.1', code011);
  const exe = `env -i PATH=${EMPTY_PATH} CI=1 ./${EXE}`;
  const script = `mount --bind ${bin} ${bin} && mount -o remount,ro,bind ${bin} && cd ${bin} && { ${exe} check; echo "exit=$?"; ${exe} status >/dev/null 2>&1; echo "off=$?"; }`;
  const r = await collect(spawn('unshare', ['-m', 'sh', '-c', script], { stdio: ['pipe', 'pipe', 'pipe'] }));
  assert.match(r.stdout, /exit=1\noff=0\n/, r.stderr);
  assert.match(r.stderr, new RegExp(`cannot update wso2update to 0\\.1\\.1: ${bin} is not writable \\(EROFS\\)`));
  assert.match(r.stderr, /--no-self-update/);
  assert.equal(ours(bin), [EXE]);
});

/** Damages the stored file of a published tool release (its signed sha256 no longer matches). */
function damageRelease(repo: string, version: string): void {
  const stored = join(repo, 'tools', version, readdirSync(join(repo, 'tools', version)).find((f) => /^[0-9a-f]{64}\./.test(f)) as string);
  const bytes = readFileSync(stored);
  bytes[bytes.length - 2] ^= 1;
  writeFileSync(stored, bytes);
}

const NO_CHECK = /newer wso2update|updated itself/;

test('repair and read-only commands never depend on the channel: a damaged tool release, then the channel gone', async () => {
  const { repo, bin } = await setup();
  const applied = await run(bin, ['apply', '--yes', '--no-self-update']);
  assert.is(applied.code, 0, applied.stderr);
  await publishTool(repo, '0.1.1', code011);
  damageRelease(repo, '0.1.1');
  // Before issue 17 each of these exited 7 (the damaged release) and could not undo anything.
  const damaged: [string[], number][] = [[['status'], 0], [['current-state'], 0], [['revert', '--dry-run'], 0], [['--dry-run', '--revert'], 0], [['recover'], 0]];
  for (const [args, code] of damaged) {
    const r = await run(bin, args);
    assert.is(r.code, code, `${args.join(' ')}: ${r.stderr}`);
    assert.not.match(r.stderr, NO_CHECK, args.join(' '));
  }
  renameSync(repo, `${repo}.gone`); // the channel is gone (a folder channel unmounted; the HTTP case is below)
  const gone: [string[], number][] = [[['status'], 0], [['recover'], 0], [['--revert', '--yes'], 4]];
  for (const [args, code] of gone) {
    const r = await run(bin, args);
    assert.is(r.code, code, `${args.join(' ')} with the channel gone: ${r.stderr}`);
    assert.not.match(r.stderr, NO_CHECK, args.join(' '));
  }
  assert.equal(ours(bin), [EXE]);
  assert.is((await run(bin, ['--version'])).stdout, 'wso2update 0.1.0\n');
});

test('before plan, apply and check a channel that does not answer costs about a second and a warning naming --no-self-update', async () => {
  const k = n++;
  const repo = join(dir, `repo-${k}`);
  cpSync(fx.repo, repo, { recursive: true });
  // The tool release list never answers; the rest of the channel does: the command itself goes on and works.
  const server = await startFaultServer(repo, { match: /\/tools\//, stall: true });
  try {
    const home = writeHome(join(dir, `home-${k}`));
    assert.is((await runCli(['init', '--home', home, '--repo', server.url, '--trust-root', fx.root])).code, 0);
    const bin = join(home, 'bin');
    copyFileSync(join(old, EXE), join(bin, EXE));
    await publishTool(repo, '0.1.1', code011);
    const r = await run(bin, ['check']);
    assert.is(r.code, CHECKED, r.stderr);
    assert.match(r.stderr, /could not check for a newer wso2update \(\S+ did not answer within 1 s\); going on with this one\. Offline, pass --no-self-update/);
    assert.ok(server.seen.some((s) => s.url.includes('/tools/')), 'the release list was asked for');
    assert.equal(ours(bin), [EXE]);
  } finally {
    await server.stop();
  }
  // Connection refused (the channel down): the check gives up within its second instead of five retries.
  const down = await run(join(dir, `home-${k}`, 'bin'), ['check']);
  assert.match(down.stderr, /could not check for a newer wso2update \(\S+ did not answer within 1 s\)/);
  assert.is(down.code, 1, down.stderr); // check itself needs the channel: its own refusal follows the warning
});

test.run();
