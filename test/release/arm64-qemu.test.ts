// The Linux arm64 single executable (wso2update_linux_arm64) run under qemu-user (issue 18): Debian's
// qemu-aarch64-static with the cross loader and C++ runtime (QEMU_LD_PREFIX=/usr/aarch64-linux-gnu), under `env -i`
// with nothing on the PATH, in the sample pack's bin/: --version, init (signed), plan, apply, status, and revert to
// a pack byte-identical to before. A shorter flow than the x64 one (sea-flow.test.ts): qemu costs ~2 s a start.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixtures, writeHome } from '../../scripts/build-fixtures.mjs';
import { snapshot, snapshotDiff } from '../helpers/pack.js';
import { EMPTY_PATH, seaRelease } from '../helpers/sea.js';
import { collect, tmpDir, type RunResult } from '../helpers/tmp.js';

const EXE = 'wso2update_linux_arm64';
const QEMU = 'qemu-aarch64-static';
const SYSROOT = '/usr/aarch64-linux-gnu';
const HINT = 'qemu-user for arm64 not found: apt-get install -y --no-install-recommends qemu-user-static libc6-arm64-cross libstdc++6-arm64-cross (.ci/run does it)';
const hasQemu = spawnSync(QEMU, ['--version'], { stdio: 'ignore' }).status === 0
  && existsSync(join(SYSROOT, 'lib/ld-linux-aarch64.so.1')) && existsSync(join(SYSROOT, 'lib/libstdc++.so.6'));
const steps: string[] = [];
const started = Date.now();

let home = '';
let bin = '';
let fx: { repo: string; root: string };

/** Runs the arm64 executable from bin/ as an operator would (`./wso2update_linux_arm64`), through qemu-user. */
async function run(...args: string[]): Promise<RunResult> {
  const t = Date.now();
  const env = [`PATH=${EMPTY_PATH}`, 'CI=1', `QEMU_LD_PREFIX=${SYSROOT}`];
  const r = await collect(spawn('/usr/bin/env', ['-i', ...env, `/usr/bin/${QEMU}`, `./${EXE}`, ...args], { cwd: bin, stdio: ['pipe', 'pipe', 'pipe'] }));
  steps.push(`${args.join(' ')}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  return r;
}

test(`qemu-user and the arm64 cross runtime are installed (${HINT.split(': ')[1]})`, () => {
  assert.ok(hasQemu, HINT);
});

test('the arm64 executable runs: --version', async () => {
  if (!hasQemu) return;
  const release = seaRelease('0.1.0', false, 'linux-arm64');
  const dir = tmpDir('wso2update-arm64-');
  fx = buildFixtures(join(dir, 'fx')) as { repo: string; root: string };
  home = writeHome(join(dir, 'wso2am-4.2.0'), { customize: true });
  bin = join(home, 'bin');
  copyFileSync(join(release, EXE), join(bin, EXE));
  const v = await run('--version');
  assert.is(v.code, 0, v.stderr);
  assert.is(v.stdout, 'wso2update 0.1.0\n');
});

test('init (signed), plan, apply, status, revert: the pack byte-identical to before', async () => {
  if (!hasQemu) return;
  const before = snapshot(home, (r) => r === 'updates' || r === `bin/${EXE}`);
  const init = await run('init', '--repo', fx.repo, '--trust-root', fx.root);
  assert.is(init.code, 0, init.stderr);
  const plan = await run('plan', '--level', '2', '--on-conflict', 'keep-mine', '--out', '../plan.json');
  assert.is(plan.code, 0, plan.stderr);
  const apply = await run('apply', '../plan.json', '--yes');
  assert.is(apply.code, 0, apply.stderr);
  assert.match(apply.stderr, /Applied \(level 0 -> 2\)/);
  const status = await run('status');
  assert.is(status.code, 0, status.stderr);
  assert.match(status.stdout + status.stderr, /at level 2/);
  const revert = await run('revert', '--yes');
  assert.is(revert.code, 4, revert.stderr);
  assert.equal(snapshotDiff(before, snapshot(home, (r) => r === 'updates' || r === `bin/${EXE}` || r === 'plan.json')), []);
});

test.after(() => {
  if (hasQemu) process.stderr.write(`linux arm64 under qemu-user: ${steps.length} runs in ${((Date.now() - started) / 1000).toFixed(0)} s\n  ${steps.join('\n  ')}\n`);
});

test.run();
