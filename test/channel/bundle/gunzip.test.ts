// channel/bundle/gunzip: a gzip bundle decompressed once, with caps that stop a bomb while it expands, into a private
// folder that refusals remove; the other compressions are named.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compressionOf, gunzipToStaging } from '../../../src/channel/bundle/gunzip.js';
import { DEFAULT_LIMITS } from '../../../src/channel/bundle/scan.js';
import { UpdateError } from '../../../src/core/errors.js';
import { tmpDir } from '../../helpers/tmp.js';

function gz(bytes: Buffer): { file: string; size: number; staging: string } {
  const d = tmpDir();
  const file = join(d, 'b.tar.gz');
  const z = gzipSync(bytes);
  writeFileSync(file, z);
  const staging = join(d, 'staging');
  mkdirSync(staging);
  return { file, size: z.length, staging };
}

test('compressionOf: gzip, bzip2, xz, zstd by their magic bytes; anything else (a plain tar) null', () => {
  assert.is(compressionOf(gzipSync('x')), 'gzip');
  assert.is(compressionOf(Buffer.from('BZh91AY')), 'bzip2');
  assert.is(compressionOf(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00])), 'xz');
  assert.is(compressionOf(Buffer.from([0x28, 0xb5, 0x2f, 0xfd])), 'zstd');
  assert.is(compressionOf(Buffer.from('index.json\0')), null);
  assert.is(compressionOf(Buffer.alloc(0)), null);
});

test('decompressed into a new private folder under the staging folder, mode 0600', async () => {
  const data = Buffer.from('a'.repeat(5000));
  const { file, size, staging } = gz(data);
  const { dir, tar } = await gunzipToStaging(file, size, staging, 'b', DEFAULT_LIMITS);
  assert.ok(dir.startsWith(join(staging, '.bundle-')));
  assert.equal(readFileSync(tar), data);
  assert.is(statSync(tar).mode & 0o777, 0o600);
});

test('a bomb is stopped by the ratio cap while expanding; the folder is removed', async () => {
  const { file, size, staging } = gz(Buffer.alloc(8 << 20));
  try {
    await gunzipToStaging(file, size, staging, 'b', { ...DEFAULT_LIMITS, maxRatio: 2 });
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.match((err as Error).message, /expands past \d+ bytes when decompressed \(from \d+\): a gzip bomb/);
  }
  assert.equal(readdirSync(staging), []);
});

test('truncated and corrupt gzip: "not valid gzip data", nothing left', async () => {
  for (const damage of [(z: Buffer) => z.subarray(0, z.length - 10), (z: Buffer) => { const c = Buffer.from(z); c.fill(0x55, 12, 30); return c; }]) {
    const d = tmpDir();
    const file = join(d, 'b.gz');
    const z = damage(gzipSync(Buffer.from('x'.repeat(100_000).concat('y'))));
    writeFileSync(file, z);
    try {
      await gunzipToStaging(file, z.length, d, 'b', DEFAULT_LIMITS);
      assert.unreachable();
    } catch (err) {
      assert.is((err as UpdateError).code, 'verification');
      assert.match((err as Error).message, 'is not valid gzip data');
    }
    assert.equal(readdirSync(d), ['b.gz']);
  }
});

test('an abort is an interrupt; copies left by killed runs are swept once stale, fresh ones kept', async () => {
  const { file, size, staging } = gz(Buffer.alloc(1 << 20));
  const ac = new AbortController();
  ac.abort();
  try {
    await gunzipToStaging(file, size, staging, 'b', DEFAULT_LIMITS, ac.signal);
    assert.unreachable();
  } catch (err) {
    assert.is((err as UpdateError).code, 'interrupted');
  }
  const old = join(staging, '.bundle-old');
  mkdirSync(old);
  writeFileSync(join(old, 'bundle.tar'), 'x');
  const past = new Date(Date.now() - 120_000);
  utimesSync(join(old, 'bundle.tar'), past, past);
  utimesSync(old, past, past);
  const fresh = join(staging, '.bundle-fresh');
  mkdirSync(fresh);
  const other = join(staging, 'keep-me');
  mkdirSync(other);
  utimesSync(other, past, past);
  const { dir } = await gunzipToStaging(file, size, staging, 'b', DEFAULT_LIMITS);
  const left = readdirSync(staging).sort();
  assert.equal(left, ['.bundle-fresh', dir.slice(staging.length + 1), 'keep-me'].sort());
});

test.run();
