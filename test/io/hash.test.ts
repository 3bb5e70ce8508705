// hashFile against node:crypto over whole buffers, on both sides of the small/large boundary (sync shared buffer,
// async per-file buffer), many at once (the reused buffers must not mix files), and a FIFO refused, not waited on.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { hashFile } from '../../src/io/hash.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

const KB = 1024;
const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 255));

test('sha256 and size equal node:crypto over the whole file, for every size class', async () => {
  const dir = tmpDir('hash');
  for (const [i, size] of [0, 1, 4 * KB, 256 * KB - 1, 256 * KB, 256 * KB + 1, 1024 * KB, 3 * 1024 * KB + 17].entries()) {
    const data = bytes(size, i);
    const file = join(dir, `f${i}`);
    writeFileSync(file, data);
    assert.equal(await hashFile(file), { sha256: createHash('sha256').update(data).digest('hex'), size }, `size ${size}`);
  }
});

test('many files hashed at once each get their own result', async () => {
  const dir = tmpDir('hash-many');
  const files = Array.from({ length: 24 }, (_, i) => {
    const data = bytes(i % 2 === 0 ? 300 * KB + i : 10 * KB + i, i);
    writeFileSync(join(dir, `f${i}`), data);
    return { file: join(dir, `f${i}`), sha256: createHash('sha256').update(data).digest('hex') };
  });
  const got = await Promise.all(files.map((f) => hashFile(f.file)));
  assert.equal(got.map((g) => g.sha256), files.map((f) => f.sha256));
});

test('a path that is not a regular file (a FIFO) is an io error at once, not a hang', async () => {
  const fifo = join(tmpDir('hash-fifo'), 'pipe');
  execFileSync('mkfifo', [fifo]);
  const err = await hashFile(fifo).catch((e) => e);
  assert.instance(err, UpdateError);
  assert.is((err as UpdateError).code, 'io');
});

test.run();
