// The wrong user (EACCES) and a read-only pack (EROFS) are the operator's to fix, not bugs. Issue 17: both ended as
// "This is a bug in wso2update". Now the message names the path, the folder's owner and mode, the user running and
// what to do, exit 1, and the pack is exactly as before. EACCES runs as the user `nobody` (root ignores permission
// bits); EROFS runs inside a private mount namespace (unshare -m) with the pack bind-mounted read-only over itself.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { cliArgv, runShell, TEST_EXE } from '../../helpers/tmp.js';

const NOBODY = 65534;
const isRoot = process.getuid?.() === 0;
const canUnshare = spawnSync('unshare', ['-m', 'true']).status === 0;
const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const cli = (args: string[]) => { const [file, argv] = cliArgv(args); return [file, ...argv].map(quote).join(' '); };

/** Everything up to the pack world-readable, so that `nobody` can read the checkout and the pack but write nothing. */
function readableForAll(dir: string): void {
  for (let d = dir; d !== '/'; d = join(d, '..')) chmodSync(d, statSync(d).mode | 0o055);
  const walk = (p: string) => {
    const st = statSync(p);
    chmodSync(p, st.mode | (st.isDirectory() ? 0o055 : 0o044));
    if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
  };
  walk(dir);
  // the executable under test (the executable pass) must be runnable by nobody too
  if (TEST_EXE) for (let d = TEST_EXE; d !== '/'; d = join(d, '..')) chmodSync(d, statSync(d).mode | 0o055);
}

const asNobody = (args: string[]) => runShell(`exec setpriv --reuid=${NOBODY} --regid=${NOBODY} --clear-groups env HOME=/tmp TMPDIR=/tmp ${cli(args)}`);

test('wrong user: apply and recover say who owns what and what to do; exit 1; nothing changed', async () => {
  assert.ok(isRoot, 'this test switches to the user nobody, which needs root');
  const f = await makeFixture();
  readableForAll(join(f.home, '..'));
  const before = snapshot(f.home, () => false);
  for (const args of [['apply', '--yes', '--home', f.home], ['recover', '--home', f.home]]) {
    const r = await asNobody(args);
    assert.is(r.code, 1, r.stderr);
    assert.not.match(r.stderr, 'This is a bug');
    assert.match(r.stderr, /permission denied \(EACCES\): user nobody may not change \S+updates\/wso2update\/lock\S*/);
    assert.match(r.stderr, `${join(f.home, 'updates/wso2update')} belongs to root (mode 0755)`);
    assert.match(r.stderr, 'Nothing was changed. Run wso2update as root, the user that owns the pack');
  }
  assert.equal(snapshotDiff(before, snapshot(f.home, () => false)), []);
});

test('wrong user for the product files only (its own folders writable): the swap is refused and everything rolled back', async () => {
  assert.ok(isRoot);
  const f = await makeFixture();
  readableForAll(join(f.home, '..'));
  const own = join(f.home, 'updates');
  const walk = (p: string) => { chownSync(p, NOBODY, NOBODY); if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n)); };
  walk(own);
  const before = snapshot(f.home, (r) => r.startsWith('updates/logs') || r === 'updates/wso2update/lock');
  const r = await asNobody(['apply', '--yes', '--home', f.home]);
  assert.is(r.code, 1, r.stderr);
  assert.not.match(r.stderr, 'This is a bug');
  assert.match(r.stderr, /permission denied \(EACCES\): user nobody may not change/);
  assert.match(r.stderr, 'belongs to root');
  assert.match(r.stderr, 'Every change was rolled back.');
  assert.equal(snapshotDiff(before, snapshot(f.home, (x) => x.startsWith('updates/logs') || x === 'updates/wso2update/lock')), []);
});

test('read-only pack (a read-only bind mount): apply says EROFS and what to do; exit 1; nothing changed', async () => {
  assert.ok(isRoot && canUnshare, 'needs root and unshare -m for a private read-only bind mount');
  const f = await makeFixture();
  const before = snapshot(f.home, () => false);
  const h = quote(f.home);
  const r = await runShell(`exec unshare -m sh -c ${quote(`mount --bind ${h} ${h} && mount -o remount,ro,bind ${h} && exec ${cli(['apply', '--yes', '--home', f.home])}`)}`);
  assert.is(r.code, 1, r.stderr);
  assert.not.match(r.stderr, 'This is a bug');
  assert.match(r.stderr, 'is on a read-only file system (EROFS)');
  assert.match(r.stderr, 'Nothing was changed. The pack, or this part of it, is mounted read-only: remount it read-write');
  assert.equal(snapshotDiff(before, snapshot(f.home, () => false)), []);
});

test.run();
