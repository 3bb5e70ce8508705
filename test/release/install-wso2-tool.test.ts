// Every real WSO2 pack ships WSO2's own update tool as bin/wso2update_linux, the name our executable takes. Issue 17:
// `install --home PACK` silently overwrote it. Now it is kept as bin/wso2update_linux.wso2 (said, with the command
// that puts it back), and self-update's cleanup of `.previous` files never deletes a file that is not ours.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeHome } from '../../scripts/build-fixtures.mjs';
import { isOurs } from '../../src/selfupdate/identity.js';
import { runExe, seaRelease } from '../helpers/sea.js';
import { runCli, runShell, tmpDir } from '../helpers/tmp.js';

const release = seaRelease();
const dir = tmpDir('wso2update-install-wso2-');
const WSO2_TOOL = '#!/bin/sh\necho "WSO2 Update Tool 1.7 (the Go one)"\n';
let n = 0;

function packWithWso2Tool(tool = WSO2_TOOL): { home: string; bin: string } {
  const home = writeHome(join(dir, `pack-${n++}`));
  writeFileSync(join(home, 'bin/wso2update_linux'), tool, { mode: 0o755 });
  return { home, bin: join(home, 'bin') };
}

test('the built executable is recognised as ours and WSO2\'s tool (or anything else) is not', async () => {
  assert.ok(await isOurs(join(release, 'wso2update_linux')));
  assert.ok(await isOurs(join(release, 'wso2update.code')));
  const p = packWithWso2Tool();
  assert.not.ok(await isOurs(join(p.bin, 'wso2update_linux')));
  assert.not.ok(await isOurs(join(p.bin, 'nothing-here')));
});

test('install keeps WSO2\'s tool as wso2update_linux.wso2, says so, and the printed command puts it back', async () => {
  const p = packWithWso2Tool();
  const r = await runCli(['install', '--home', p.home, '--from', release]);
  assert.is(r.code, 0, r.stderr);
  const kept = join(p.bin, 'wso2update_linux.wso2');
  assert.is(readFileSync(kept, 'utf8'), WSO2_TOOL);
  assert.ok(readFileSync(join(p.bin, 'wso2update_linux')).equals(readFileSync(join(release, 'wso2update_linux'))));
  const line = r.stderr.split('\n').find((l) => l.includes('kept as')) ?? '';
  assert.match(line, `WSO2's own update tool that was there is kept as ${kept}`);
  // installing again (ours over ours) keeps the kept tool as it is
  const again = await runCli(['install', '--home', p.home, '--from', release]);
  assert.is(again.code, 0, again.stderr);
  assert.is(readFileSync(kept, 'utf8'), WSO2_TOOL);
  // the way back, exactly as printed
  const back = line.slice(line.indexOf('mv '));
  assert.is((await runShell(back)).code, 0);
  assert.is(readFileSync(join(p.bin, 'wso2update_linux'), 'utf8'), WSO2_TOOL);
  assert.not.ok(existsSync(kept));
});

test('a second, different WSO2 tool where one is kept already is refused; nothing changes', async () => {
  const p = packWithWso2Tool();
  writeFileSync(join(p.bin, 'wso2update_linux.wso2'), '#!/bin/sh\necho older WSO2 tool\n', { mode: 0o755 });
  const r = await runCli(['install', '--home', p.home, '--from', release]);
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'differs from it');
  assert.is(readFileSync(join(p.bin, 'wso2update_linux'), 'utf8'), WSO2_TOOL);
  assert.match(readFileSync(join(p.bin, 'wso2update_linux.wso2'), 'utf8'), 'older WSO2 tool');
});

test('the cleanup after a successful run deletes our .previous, never a file that is not ours', async () => {
  const p = packWithWso2Tool();
  copyFileSync(join(release, 'wso2update_linux'), join(p.bin, 'wso2update_linux'));
  writeFileSync(join(p.bin, 'wso2update_linux.previous'), WSO2_TOOL, { mode: 0o755 });
  const run = await runExe('./wso2update_linux', ['--version'], { cwd: p.bin });
  assert.is(run.code, 0, run.stderr);
  const status = await runExe('./wso2update_linux', ['version'], { cwd: p.bin });
  assert.is(status.code, 0, status.stderr);
  assert.is(readFileSync(join(p.bin, 'wso2update_linux.previous'), 'utf8'), WSO2_TOOL, 'WSO2\'s tool survives the cleanup');
  copyFileSync(join(release, 'wso2update_linux'), join(p.bin, 'wso2update_linux.previous'));
  const ours = await runExe('./wso2update_linux', ['version'], { cwd: p.bin });
  assert.is(ours.code, 0, ours.stderr);
  assert.not.ok(existsSync(join(p.bin, 'wso2update_linux.previous')), 'our own .previous is cleaned up');
});

test.run();
