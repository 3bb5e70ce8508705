// selfupdate/update.ts: when the tool may update itself (only the single executable, only from an adopted pack's
// signed channel), what a reason not to means (a usage error asked for by name, a quiet null before a command), and
// how the swapped-in release's own `--version` is judged. The download and swap against a real signed channel and a
// real executable are test/release/self-update.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { selfUpdate, SELF_UPDATING, versionCheckFailure, type SelfUpdateHost } from '../../src/selfupdate/update.js';
import {} from '../../src/channel/trust/store.js';
import { UpdateError } from '../../src/core/errors.js';
import { readState, writeState } from '../../src/io/state.js';
import { makeFixture } from '../helpers/pack.js';
import { tmpDir } from '../helpers/tmp.js';
import { openPack, packPaths } from '../../src/io/pack.js';

const dir = tmpDir('wso2update-selfupdate-');
const launcher = { abi: 1, node: 'v20.0.0', exe: join(dir, 'wso2update_linux'), codeFile: join(dir, 'wso2update.code'), running: 'embedded' as const, embeddedVersion: '0.9.0' };
let ran = 0;
const host: SelfUpdateHost = { launcher, platform: 'linux-x64', runVersion: () => { ran++; return { status: 0, signal: null, stdout: '' }; } };

async function reason(h: SelfUpdateHost, home: string, re: RegExp): Promise<void> {
  const before = readdirSync(dir).sort();
  assert.is(await selfUpdate(h, home, false), null, 'before a command: a reason not to update is no error');
  try {
    await selfUpdate(h, home, true);
    assert.unreachable('self-update asked for by name must say why it cannot');
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, 'usage');
    assert.match((err as Error).message, re);
    assert.is((err as UpdateError).hint, 'Nothing was changed.');
  }
  assert.equal(readdirSync(dir).sort(), before, 'nothing was written beside the executable');
  assert.is(ran, 0, 'no program was run');
}

test('only the commands that move a pack forward update the tool first; repairs and reads never depend on the channel', () => {
  assert.equal([...SELF_UPDATING].sort(), ['apply', 'check', 'plan', 'self-update']);
  for (const c of ['revert', 'recover', 'status', 'show', 'init', 'install']) assert.not.ok(SELF_UPDATING.has(c), c);
});

test('a checkout (no launcher) never updates itself', async () => {
  const f = await makeFixture();
  await reason({ ...host, launcher: null }, f.home, /only the single executable .* updates itself; this is `node bin\/wso2update.js`, a checkout/);
});

test('a folder that is not an adopted pack has no channel to update from', async () => {
  const bare = join(dir, 'bare');
  mkdirSync(bare, { recursive: true });
  await reason(host, bare, /bare is not adopted \(no updates\/wso2update\/state.json\)/);
});

test('a pack adopted with --allow-unsigned: the tool updates itself only from a signed channel', async () => {
  const f = await makeFixture();
  await reason(host, f.home, /adopted with --allow-unsigned; the tool updates itself only from a signed channel/);
});

test('a signed pack whose repository is an offline bundle or a folder that is gone: no channel offers releases', async () => {
  const f = await makeFixture();
  mkdirSync(packPaths(f.home).trust, { recursive: true });
  writeFileSync(join(packPaths(f.home).trust, 'root.json'), '{}');
  for (const repository of [join(dir, 'updates-1-3.tar'), join(dir, 'gone')]) {
    await writeState(openPack(f.home), { ...(await readState(openPack(f.home))), repository });
    await reason(host, f.home, new RegExp(`the pack's repository ${repository.replace(/[.]/g, '\\.')} is an offline bundle or a folder that is not there`));
  }
});

test('the swapped-in release passes only when its own --version prints exactly "wso2update <to>" and exits 0', () => {
  const exe = '/opt/p/bin/wso2update_linux';
  assert.is(versionCheckFailure(exe, '0.3.0', { status: 0, signal: null, stdout: 'wso2update 0.3.0\n' }), null);
  const cases: [Parameters<typeof versionCheckFailure>[2], string][] = [
    [{ status: 0, signal: null, stdout: 'wso2update 0.2.0\n' }, '`/opt/p/bin/wso2update_linux --version` exited 0 printing "wso2update 0.2.0"'],
    [{ status: 1, signal: null, stdout: 'wso2update 0.3.0' }, 'exited 1 printing "wso2update 0.3.0"'],
    [{ status: null, signal: 'SIGSEGV', stdout: '' }, 'exited SIGSEGV printing ""'],
    [{ status: 0, signal: null, stdout: `${'x'.repeat(10_000)}` }, `printing "${'x'.repeat(80)}"`],
    [{ status: null, signal: null, stdout: '', error: new Error('spawn EACCES') }, 'failed to start (spawn EACCES)'],
    [{ status: 0, signal: null, stdout: 'wso2update 0.3.0 extra' }, 'printing "wso2update 0.3.0 extra"'],
  ];
  for (const [run, says] of cases) {
    const why = versionCheckFailure(exe, '0.3.0', run);
    assert.ok(why?.includes(says), `${JSON.stringify(run).slice(0, 60)}: ${why}`);
    assert.ok((why ?? '').length < 200, 'a hostile release cannot flood the message');
  }
});

test.run();
