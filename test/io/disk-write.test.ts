// io/disk-write: every byte or the kernel's errno, and "no room" said as the operator's to fix.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { UpdateError } from '../../src/core/errors.js';
import { noRoomError, writevAll, writevAllSync } from '../../src/io/disk-write.js';
import { tmpDir } from '../helpers/tmp.js';

/** A FileHandle whose writes take at most `take` bytes per call (how a filling disk answers), else the real ones. */
async function stingy(file: string, take: number[]) {
  const fh = await open(file, 'w');
  const real = { writev: fh.writev.bind(fh), write: fh.write.bind(fh) };
  const calls: number[] = [];
  (fh as unknown as { writev: typeof fh.writev }).writev = (async (bufs: Buffer[], pos?: number) => {
    const limit = take.shift() ?? Infinity;
    const all = Buffer.concat(bufs);
    calls.push(all.length);
    return real.writev([all.subarray(0, Math.min(limit, all.length))], pos);
  }) as typeof fh.writev;
  (fh as unknown as { write: unknown }).write = (buf: Buffer, off: number, len: number, pos: number) => {
    calls.push(len);
    return real.write(buf, off, Math.min(take.shift() ?? Infinity, len), pos);
  };
  return { fh, calls };
}

test('short writes are continued where they stopped, across chunk boundaries', async () => {
  const f = join(tmpDir('disk-write-'), 'x');
  const { fh, calls } = await stingy(f, [3, 1, 4]);
  await writevAll(fh, [Buffer.from('abcde'), Buffer.alloc(0), Buffer.from('fgh'), Buffer.from('ijklmn')], 10);
  await fh.close();
  assert.is(readFileSync(f).subarray(10).toString(), 'abcdefghijklmn');
  assert.equal(calls, [14, 11, 10, 6]); // the writev, then plain writes of the rest
});

test('a million one-byte chunks cut short: the rest goes out as one buffer, not re-sliced per write', async () => {
  const f = join(tmpDir('disk-write-'), 'x');
  const body = Buffer.alloc(1 << 20, 7);
  const chunks = Array.from({ length: body.length }, (_, i) => body.subarray(i, i + 1));
  const fh = await open(f, 'w');
  const real = { writev: fh.writev.bind(fh), write: fh.write.bind(fh) };
  const sizes: number[] = [];
  (fh as unknown as { writev: typeof fh.writev }).writev = (async (bufs: Buffer[], pos?: number) => real.writev(bufs.slice(0, 1024), pos)) as typeof fh.writev;
  (fh as unknown as { write: unknown }).write = (buf: Buffer, off: number, len: number, pos: number) => {
    sizes.push(len);
    return real.write(buf, off, Math.min(len, 300_000), pos);
  };
  await writevAll(fh, chunks, 0);
  await fh.close();
  assert.equal(sizes, [(1 << 20) - 1024, (1 << 20) - 1024 - 300_000, (1 << 20) - 1024 - 600_000, (1 << 20) - 1024 - 900_000]);
  assert.ok(readFileSync(f).equals(body));
});

test('a write that takes nothing and says nothing is a full disk, not a loop', async () => {
  const f = join(tmpDir('disk-write-'), 'x');
  const { fh } = await stingy(f, [2, 0]);
  const err = await writevAll(fh, [Buffer.from('abcdef')], 0).then(() => null, (e: unknown) => e);
  await fh.close();
  assert.is((err as NodeJS.ErrnoException).code, 'ENOSPC');
});

test('noRoomError: ENOSPC, EDQUOT, EFBIG become io errors naming the file; anything else is left alone', () => {
  for (const [code, words] of [['ENOSPC', 'the disk is full'], ['EDQUOT', 'quota'], ['EFBIG', 'ulimit -f']]) {
    const e = noRoomError(Object.assign(new Error('x'), { code }), '/p/f', 'Free space.');
    assert.ok(e instanceof UpdateError);
    assert.is(e.code, 'io');
    assert.match(e.message, '/p/f');
    assert.match(e.message, words);
  }
  assert.is(noRoomError(Object.assign(new Error('x'), { code: 'EACCES' }), '/p/f', ''), null);
  assert.is(noRoomError(new UpdateError('io', 'already said'), '/p/f', ''), null);
  assert.is(noRoomError('ENOSPC', '/p/f', ''), null);
});

test('writevAllSync: chunks beyond IOV_MAX (5,000 one-byte ones and empty ones) land in order at the position', () => {
  const f = join(tmpDir('disk-write-'), 'x');
  writeFileSync(f, 'head');
  const body = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  const chunks = Array.from({ length: body.length }, (_, i) => body.subarray(i, i + 1));
  chunks.splice(17, 0, Buffer.alloc(0));
  const fd = openSync(f, 'r+');
  try {
    writevAllSync(fd, chunks, 4);
    writevAllSync(fd, [], 99); // nothing to write: no call, no growth
  } finally {
    closeSync(fd);
  }
  assert.ok(readFileSync(f).equals(Buffer.concat([Buffer.from('head'), body])));
});

// The real kernel's short write: under `ulimit -f` write(2) takes what fits and says nothing (Node ignores SIGXFSZ);
// writing the rest makes it say EFBIG, which must come out as that errno (the transport's small blobs rely on it).
test('writevAllSync: a write the disk cannot hold throws the kernel errno (EFBIG under ulimit -f), never returns short', () => {
  const dir = tmpDir('disk-write-');
  const script = join(dir, 'run.mts');
  writeFileSync(script, `
import { openSync } from 'node:fs';
import { writevAllSync } from ${JSON.stringify(fileURLToPath(new URL('../../src/io/disk-write.ts', import.meta.url)))};
const fd = openSync(${JSON.stringify(join(dir, 'big'))}, 'w');
try {
  writevAllSync(fd, [Buffer.alloc(40_000, 1), Buffer.alloc(40_000, 2)], 0);
  console.log('returned');
} catch (err) {
  console.log('threw', err.code);
}
`);
  const r = spawnSync('bash', ['-c', 'ulimit -f 64 && exec "$0" --import tsx "$1"', process.execPath, script], { encoding: 'utf8', timeout: 60_000 });
  assert.is(r.stdout.trim(), 'threw EFBIG', r.stderr);
});

test.run();
