// selfupdate/install.ts with real files: the executable goes into bin/ under this platform's WSO2 name, WSO2's own
// tool there is kept (never lost), and every refusal names what is wrong and changes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHome } from '../../scripts/build-fixtures.mjs';
import { installTool, type InstallHost } from '../../src/selfupdate/install.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('wso2update-selfupdate-install-');
// isOurs() knows our files by the code bundle's header (or the SEA fuse): a file that starts with it counts as ours.
const OURS = '// wso2update-code 0.9.0 fake\n';
const WSO2 = '#!/bin/sh\necho "WSO2 Update Tool (the Go one)"\n';
let n = 0;

function setup(): { home: string; release: string; host: InstallHost } {
  const home = writeHome(join(dir, `pack-${n}`));
  const release = join(dir, `release-${n++}`);
  mkdirSync(release);
  writeFileSync(join(release, 'wso2update_linux'), `${OURS}new\n`);
  return { home, release, host: { launcher: null, platform: 'linux-x64', checkoutRelease: () => release } };
}

async function refused(p: Promise<unknown>, code: string, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, code);
    assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable('expected a refusal');
}

test('from a checkout: the built executable is copied in, executable, under the platform\'s WSO2 name', async () => {
  const s = setup();
  const r = await installTool(s.host, s.home, dir, undefined);
  assert.is(r.dest, join(s.home, 'bin/wso2update_linux'));
  assert.is(r.name, 'wso2update_linux');
  assert.is(r.kept, null);
  assert.is(readFileSync(r.dest, 'utf8'), `${OURS}new\n`);
  assert.is(r.size, Buffer.byteLength(`${OURS}new\n`));
  assert.match(r.sha256, /^[0-9a-f]{64}$/);
  assert.not.ok(readdirSync(join(s.home, 'bin')).some((f) => f.includes('.tmp')), 'no temporary file is left');
});

test('--from DIR is relative to the current folder; the platform picks the file (Windows: .exe)', async () => {
  const s = setup();
  writeFileSync(join(s.release, 'wso2update_windows.exe'), `${OURS}win\n`);
  const r = await installTool({ ...s.host, platform: 'win32-x64', checkoutRelease: () => '/nowhere' }, s.home, dir, s.release.slice(dir.length + 1));
  assert.is(readFileSync(r.dest, 'utf8'), `${OURS}win\n`);
  assert.is(r.name, 'wso2update_windows.exe');
});

test('WSO2\'s own tool under that name is kept as <name>.wso2; the same one again is fine, a different one refused', async () => {
  const s = setup();
  const dest = join(s.home, 'bin/wso2update_linux');
  writeFileSync(dest, WSO2, { mode: 0o755 });
  const r = await installTool(s.host, s.home, dir, undefined);
  assert.is(r.kept, `${dest}.wso2`);
  assert.is(readFileSync(`${dest}.wso2`, 'utf8'), WSO2);
  // Ours over ours: nothing more is kept.
  assert.is((await installTool(s.host, s.home, dir, undefined)).kept, null);
  // WSO2's tool put back by hand, then installed again: the kept copy is the same file, so it stays as it is.
  writeFileSync(dest, WSO2);
  assert.is((await installTool(s.host, s.home, dir, undefined)).kept, `${dest}.wso2`);
  // Another foreign tool: which of the two to keep is the operator's decision; nothing changes.
  writeFileSync(dest, '#!/bin/sh\necho other\n');
  await refused(installTool(s.host, s.home, dir, undefined), 'usage', /is not wso2update, and .*\.wso2 \(WSO2's tool kept by an earlier install\) differs from it/);
  assert.is(readFileSync(dest, 'utf8'), '#!/bin/sh\necho other\n');
  assert.is(readFileSync(`${dest}.wso2`, 'utf8'), WSO2);
});

test('refusals: not a pack, no executable for the platform, none built, installing over itself', async () => {
  const s = setup();
  const notPack = join(dir, 'not-a-pack');
  mkdirSync(notPack);
  await refused(installTool(s.host, notPack, dir, undefined), 'not-found', /not-a-pack/);
  await refused(installTool({ ...s.host, platform: 'aix-ppc64' }, s.home, dir, undefined), 'usage', /no single executable is built for aix-ppc64/);
  await refused(installTool(s.host, s.home, dir, join(dir, 'empty-nothing')), 'not-found', /empty-nothing\/wso2update_linux does not exist/);
  const exe = join(s.home, 'bin/wso2update_linux');
  writeFileSync(exe, `${OURS}running\n`);
  const running = { abi: 1, node: 'v20.0.0', exe, codeFile: join(s.home, 'bin/wso2update.code'), running: 'embedded' as const, embeddedVersion: '0.9.0' };
  await refused(installTool({ ...s.host, launcher: running }, s.home, dir, undefined), 'usage', /is the running executable itself/);
  assert.is(readFileSync(exe, 'utf8'), `${OURS}running\n`);
  assert.not.ok(existsSync(`${exe}.wso2`));
});

test('the single executable installs itself, with the newer code bundle it runs from beside it', async () => {
  const s = setup();
  const own = join(dir, 'own-bin');
  mkdirSync(own);
  writeFileSync(join(own, 'wso2update_linux'), `${OURS}exe\n`);
  writeFileSync(join(own, 'wso2update.code'), `${OURS}code\n`);
  const launcher = { abi: 1, node: 'v20.0.0', exe: join(own, 'wso2update_linux'), codeFile: join(own, 'wso2update.code'), running: 'beside' as const, embeddedVersion: '0.8.0' };
  const r = await installTool({ ...s.host, launcher }, s.home, dir, undefined);
  assert.is(readFileSync(r.dest, 'utf8'), `${OURS}exe\n`);
  assert.is(readFileSync(join(s.home, 'bin/wso2update.code'), 'utf8'), `${OURS}code\n`);
});

test.run();
