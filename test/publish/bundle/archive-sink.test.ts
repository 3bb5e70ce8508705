// The bundle writer's sink alone: bytes put in any pieces come out in order with their sha256, across the two buffers'
// edges; a write that fails is reported once, by the call that needs its buffer back or by end(), and never as an
// unhandled rejection (a refusal elsewhere can come while a write is still in flight).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { ArchiveSink, SINK_BYTES } from '../../../src/publish/bundle/archive-sink.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-archive-sink-');

test('pieces of every size across the buffers\' edges: the file holds them in order, the digest is the file\'s', async () => {
  const file = join(dir, 'a.bin');
  const fh = await open(file, 'wx');
  const sink = new ArchiveSink(fh);
  const expected: Buffer[] = [];
  for (const size of [1, SINK_BYTES - 2, 3, SINK_BYTES, 0, 2 * SINK_BYTES + 5, 17]) {
    const piece = randomBytes(size);
    expected.push(piece);
    await sink.put(piece);
    await sink.zeros(size % 7);
    expected.push(Buffer.alloc(size % 7));
  }
  const digest = await sink.end();
  await fh.close();
  const all = Buffer.concat(expected);
  assert.ok(readFileSync(file).equals(all));
  assert.is(digest, createHash('sha256').update(all).digest('hex'));
  assert.is(sink.bytes, all.length);
});

test('a failing write surfaces once, where its buffer is needed or at end(); settle() never throws; nothing unhandled', async () => {
  const file = join(dir, 'ro.bin');
  writeFileSync(file, '');
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    for (const bytes of [10, 3 * SINK_BYTES]) {
      const fh = await open(file, 'r'); // writes fail with EBADF
      const sink = new ArchiveSink(fh);
      const err = await (async () => {
        await sink.zeros(bytes);
        await sink.end();
      })().then(() => null, (e: unknown) => e as NodeJS.ErrnoException);
      assert.is(err?.code, 'EBADF', `${bytes} bytes`);
      await sink.settle();
      await fh.close();
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test.run();
