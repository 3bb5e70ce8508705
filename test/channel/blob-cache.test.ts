// channel/blob-cache: blobs kept in the pack while planning, trusted for nothing: every use hashes them again, a
// damaged entry is dropped, and writes never fail the command.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlobCache } from '../../src/channel/blob-cache.js';
import { sha256Hex } from '../../src/core/canonical.js';
import { tmpDir } from '../helpers/tmp.js';
import { thrown } from '../helpers/thrown.js';

const DATA = Buffer.from('jar bytes\n');
const SHA = sha256Hex(DATA);

test('put then read: the bytes, kept 0600 under their sha256 (the folder the pack handle names, io/pack.ts)', async () => {
  const dir = join(tmpDir(), 'cache');
  const c = new BlobCache(dir);
  assert.is(await c.read(SHA, DATA.length), null);
  await c.put(SHA, DATA);
  assert.equal(await c.read(SHA, DATA.length), DATA);
  assert.is(statSync(join(dir, SHA)).mode & 0o777, 0o600);
  assert.equal(readdirSync(dir), [SHA]);
});

test('a damaged entry (other bytes, another size, a folder) is dropped on read, never returned', async () => {
  const dir = tmpDir();
  const c = new BlobCache(dir);
  writeFileSync(join(dir, SHA), 'tampered!\n');
  assert.is(await c.read(SHA, DATA.length), null);
  assert.not.ok(existsSync(join(dir, SHA)));
  writeFileSync(join(dir, SHA), 'short');
  assert.is(await c.read(SHA, DATA.length), null);
  assert.not.ok(existsSync(join(dir, SHA)));
});

test('a name that is not a sha256 is refused before any path is made from it', async () => {
  const c = new BlobCache(tmpDir());
  for (const bad of ['../../etc/passwd', 'ABC', '', SHA.toUpperCase()]) {
    assert.is((await thrown(() => c.read(bad, 1), 'invalid-input')).message, `${JSON.stringify(bad)} is not a sha256`);
    await thrown(() => c.put(bad, DATA), 'invalid-input');
  }
});

test('copyTo: a verified copy, never over an existing file; a damaged entry leaves nothing at dest', async () => {
  const dir = tmpDir();
  const c = new BlobCache(dir);
  await c.put(SHA, DATA);
  const out = tmpDir();
  assert.ok(await c.copyTo(SHA, DATA.length, join(out, 'a')));
  assert.equal(readFileSync(join(out, 'a')), DATA);
  writeFileSync(join(out, 'b'), 'mine');
  assert.not.ok(await c.copyTo(SHA, DATA.length, join(out, 'b')));
  assert.is(readFileSync(join(out, 'b'), 'utf8'), 'mine');
  writeFileSync(join(dir, SHA), Buffer.from('jar bytes!'));
  assert.not.ok(await c.copyTo(SHA, DATA.length, join(out, 'c')));
  assert.not.ok(existsSync(join(out, 'c')));
  assert.not.ok(existsSync(join(dir, SHA)), 'the damaged entry is dropped');
});

test('best effort: an unwritable cache folder fails nothing; keep links a verified file', async () => {
  const parent = tmpDir();
  const dir = join(parent, 'cache');
  mkdirSync(dir);
  chmodSync(dir, 0o500);
  const c = new BlobCache(join(dir, 'deeper'));
  await c.put(SHA, DATA); // as root the write may even succeed; what matters is that it never throws
  chmodSync(dir, 0o700);
  const k = new BlobCache(join(tmpDir(), 'k'));
  const src = join(tmpDir(), 'blob');
  writeFileSync(src, DATA);
  await k.keep(SHA, src);
  await k.keep(SHA, src); // EEXIST: quietly kept
  assert.equal(await k.read(SHA, DATA.length), DATA);
  assert.is(statSync(join(k.dir, SHA)).ino, statSync(src).ino, 'a hard link, not a copy');
});

test('keep: the folder is made when missing (the link is tried first); a source that is gone fails nothing', async () => {
  const k = new BlobCache(join(tmpDir(), 'a', 'b'));
  await k.keep(SHA, join(tmpDir(), 'gone'));
  assert.is(await k.read(SHA, DATA.length), null);
  const src = join(tmpDir(), 'blob');
  writeFileSync(src, DATA);
  await k.keep(SHA, src);
  assert.equal(readdirSync(k.dir), [SHA]);
  const other = join(tmpDir(), 'other');
  writeFileSync(other, DATA);
  await k.keep(SHA, other); // kept already: the first stays
  assert.is(statSync(join(k.dir, SHA)).ino, statSync(src).ino);
});

test('put from a local folder repository: a hard link, or a copy of the bytes when the source is no plain file', async () => {
  const c = new BlobCache(join(tmpDir(), 'cache'));
  const src = join(tmpDir(), 'repo-blob');
  writeFileSync(src, DATA);
  await c.put(SHA, DATA, src);
  assert.is(statSync(join(c.dir, SHA)).ino, statSync(src).ino, 'linked: no bytes written');
  assert.equal(await c.read(SHA, DATA.length), DATA);
  // The repository file changed in place after the link: the cache shares it, and read() refuses it, never returns it.
  appendFileSync(src, 'tampered');
  assert.is(await c.read(SHA, DATA.length), null);
  assert.not.ok(existsSync(join(c.dir, SHA)), 'the damaged entry is dropped');
  // A symlink in the repository is never linked into the pack: the verified bytes are written instead.
  const target = join(tmpDir(), 'elsewhere');
  writeFileSync(target, DATA);
  const link = join(tmpDir(), 'repo-link');
  symlinkSync(target, link);
  await c.put(SHA, DATA, link);
  assert.ok(lstatSync(join(c.dir, SHA)).isFile(), 'a plain file, not the repository\'s symlink');
  assert.is.not(statSync(join(c.dir, SHA)).ino, statSync(target).ino);
  assert.equal(await c.read(SHA, DATA.length), DATA);
  // A source that is gone, or an entry already there (damaged), ends as a written copy of the verified bytes.
  const d = new BlobCache(join(tmpDir(), 'cache2'));
  await d.put(SHA, DATA, join(tmpDir(), 'gone'));
  assert.equal(await d.read(SHA, DATA.length), DATA);
  writeFileSync(join(d.dir, SHA), 'damaged!!!');
  await d.put(SHA, DATA, src);
  assert.equal(readFileSync(join(d.dir, SHA)), DATA);
});

test.run();
