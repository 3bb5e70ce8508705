// io/atomic: write a temporary sibling, fsync, rename over, fsync the folder: the old file or the new, never a mix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDir, fsyncFile, isTempSiblingName, tempSibling, writeFileAtomic } from '../../src/io/atomic.js';
import { tmpDir } from '../helpers/tmp.js';

test('tempSibling: hidden, beside the target, unique', () => {
  const a = tempSibling('/p/updates/state.json');
  assert.match(a, /^\/p\/updates\/\.state\.json\.[0-9a-f]{12}\.tmp$/);
  assert.is.not(tempSibling('/p/x'), tempSibling('/p/x'));
});

test('isTempSiblingName: exactly the names tempSibling gives for that path, nothing near them', () => {
  for (let i = 0; i < 20; i++) assert.ok(isTempSiblingName(tempSibling('/o/b.tar').slice('/o/'.length), '/o/b.tar'));
  for (const name of ['b.tar', '.b.tar.tmp', '.b.tar.0123456789ab.tm', '.b.tar.0123456789AB.tmp', '.b.tar.0123456789abc.tmp',
    '.c.tar.0123456789ab.tmp', '.xb.tar.0123456789ab.tmp', 'b.tar.0123456789ab.tmp', '.b.tar.0123456789ab.tmp/x', '.b.tar.x.0123456789ab.tmp']) {
    assert.not.ok(isTempSiblingName(name, '/o/b.tar'), name);
  }
});

test('writes new and replaces old content whole, with the exact mode (umask or not); no temporary left', async () => {
  const d = tmpDir();
  const f = join(d, 'plan.json');
  await writeFileAtomic(f, 'one', { mode: 0o600 });
  assert.is(readFileSync(f, 'utf8'), 'one');
  assert.is(statSync(f).mode & 0o777, 0o600);
  const old = process.umask(0o077);
  try {
    await writeFileAtomic(f, new Uint8Array([50, 51]), { mode: 0o644 });
  } finally {
    process.umask(old);
  }
  assert.is(readFileSync(f, 'utf8'), '23');
  assert.is(statSync(f).mode & 0o777, 0o644);
  assert.equal(readdirSync(d), ['plan.json']);
});

test('a target that cannot be replaced (a folder): the error, the old content kept, the temporary removed', async () => {
  const d = tmpDir();
  mkdirSync(join(d, 'dir'));
  writeFileSync(join(d, 'dir', 'inside'), 'x');
  try {
    await writeFileAtomic(join(d, 'dir'), 'new');
    assert.unreachable();
  } catch (err) {
    assert.match((err as NodeJS.ErrnoException).code ?? '', /EISDIR|ENOTEMPTY|EEXIST/);
  }
  assert.equal(readdirSync(d), ['dir']);
  assert.equal(readdirSync(join(d, 'dir')), ['inside']);
});

test('a missing folder: the error, nothing made', async () => {
  const d = tmpDir();
  try {
    await writeFileAtomic(join(d, 'no', 'x'), 'x');
    assert.unreachable();
  } catch (err) {
    assert.is((err as NodeJS.ErrnoException).code, 'ENOENT');
  }
  assert.equal(readdirSync(d), []);
});

test('fsyncFile works on a read-only file (POSIX needs no write handle); fsyncDir on a folder; both fail on nothing', async () => {
  const d = tmpDir();
  const f = join(d, 'ro');
  writeFileSync(f, 'x', { mode: 0o444 });
  await fsyncFile(f, 'linux');
  await fsyncDir(d);
  for (const call of [() => fsyncFile(join(d, 'none')), () => fsyncDir(join(d, 'none'))]) {
    try {
      await call();
      assert.unreachable();
    } catch (err) {
      assert.is((err as NodeJS.ErrnoException).code, 'ENOENT');
    }
  }
});

test.run();
