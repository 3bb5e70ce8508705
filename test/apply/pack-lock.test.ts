// apply/pack-lock.ts: every run that changes a pack goes through withPackLock, whose checks come in one order: the
// tool's own folders, adopted at all, the lock, the product stopped, what the journal says. Each refusal changes
// nothing (no lock file left behind), the lock is released however `fn` ends, and `fn` sees the journal's answer.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPack } from '../../src/io/pack.js';
import { withPackLock } from '../../src/apply/pack-lock.js';
import { acquireLock } from '../../src/io/lock.js';
import { makeFixture } from '../helpers/pack.js';
import { tmpDir } from '../helpers/tmp.js';

const lockOf = (home: string) => join(home, 'updates/wso2update/lock');

test("fn runs holding the lock, sees the journal's answer, and the lock is released after it returns or throws", async () => {
  const f = await makeFixture();
  const seen = await withPackLock(openPack(f.home), OWNER, async (pending) => {
    assert.ok(existsSync(lockOf(f.home)));
    // A second updater meanwhile is refused as busy.
    const other = await acquireLock(openPack(f.home), { ...OWNER, pid: OWNER.pid + 1 }).then(() => null, (e) => e);
    assert.is(other?.code, 'busy');
    return pending.pending;
  });
  assert.is(seen, 'none');
  assert.not.ok(existsSync(lockOf(f.home)));
  const err = await withPackLock(openPack(f.home), OWNER, async () => { throw new Error('boom'); }).catch((e) => e);
  assert.is(err.message, 'boom');
  assert.not.ok(existsSync(lockOf(f.home)));
});

test('a folder that is not an adopted pack: not-found with the way to adopt it, and no lock file made', async () => {
  const home = join(tmpDir(), 'plain');
  mkdirSync(join(home, 'updates'), { recursive: true });
  const err = await withPackLock(openPack(home), OWNER, async () => 'ran').catch((e) => e);
  assert.is(err.code, 'not-found');
  assert.match(err.message, 'is not adopted by wso2update');
  assert.match(err.hint, 'wso2update init --home');
  assert.not.ok(existsSync(join(home, 'updates/wso2update')));
});

test("the tool's folder as a symlink out of the pack: refused before the lock is written anywhere", async () => {
  const f = await makeFixture();
  const outside = join(tmpDir(), 'outside');
  mkdirSync(outside);
  rmSync(join(f.home, 'updates/wso2update'), { recursive: true });
  symlinkSync(outside, join(f.home, 'updates/wso2update'));
  const err = await withPackLock(openPack(f.home), OWNER, async () => 'ran').catch((e) => e);
  assert.ok(err instanceof Error && err.message !== 'ran');
  assert.not.ok(existsSync(join(outside, 'lock')));
});

test('a pending journal outside `allow` is refused under the lock, and the lock released', async () => {
  const f = await makeFixture();
  writeFileSync(join(f.home, 'updates/wso2update/journal.json'), '{ torn');
  const err = await withPackLock(openPack(f.home), OWNER, async () => 'ran').catch((e) => e);
  assert.ok(err instanceof Error && err.message !== 'ran', String(err));
  assert.not.ok(existsSync(lockOf(f.home)));
});

test.run();
