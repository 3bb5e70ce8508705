// BatchWriter on a real file: chunks land at their positions (from a resume offset), one write at a time, the sender
// is told to stop while a write is in flight and another MiB waits and to go on after it, and a failed write stops
// the transfer and is what end() throws, and the last batch is written at once after the one in flight (its failure
// too is what end() throws). The file is real; the target's background writes are slowed (or failed) by a wrapper.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchWriter, WRITE_BATCH, type BatchTarget } from '../../../src/channel/http/batch-writer.js';
import { writevAll, writevAllSync } from '../../../src/io/disk-write.js';
import { tmpDir } from '../../helpers/tmp.js';

const root = tmpDir('wso2update-batch-');

/**
 * A BatchTarget on the real handle: background writes held back `ms` (or failed with `fail`), counting writes in
 * flight; the last batch's write made at once (failed with `failNow`), counted apart.
 */
function slowed(fh: FileHandle, ms: number, fail?: Error, failNow?: Error): { fh: BatchTarget; maxInFlight: () => number; writes: () => number; now: () => number } {
  let inFlight = 0;
  let max = 0;
  let writes = 0;
  let now = 0;
  const target: BatchTarget = {
    write: async (buffers, pos) => {
      inFlight += 1;
      writes += 1;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, ms));
      try {
        if (fail) throw fail;
        await writevAll(fh, buffers, pos);
      } finally {
        inFlight -= 1;
      }
    },
    writeNow: (buffers, pos) => {
      assert.is(inFlight, 0, 'the last write waits for the one in flight');
      writes += 1;
      now += 1;
      if (failNow) throw failNow;
      writevAllSync(fh.fd, buffers, pos);
    },
  };
  return { fh: target, maxInFlight: () => max, writes: () => writes, now: () => now };
}

test('chunks land at their positions after the resume offset; one write in flight; stop and go around a slow write', async () => {
  const file = join(root, 'a');
  const prefix = randomBytes(1000);
  writeFileSync(file, prefix);
  const fh = await open(file, 'r+');
  const s = slowed(fh, 30);
  const calls: boolean[] = [];
  let failed: unknown = null;
  const w = new BatchWriter(s.fh, prefix.length, (stop) => calls.push(stop), (e) => { failed = e; });
  const body = randomBytes(3 * WRITE_BATCH + 12345);
  for (let i = 0; i < body.length; i += 65536) w.push(body.subarray(i, i + 65536)); // faster than the disk
  await w.end();
  await fh.close();
  assert.ok(readFileSync(file).equals(Buffer.concat([prefix, body])));
  assert.is(s.maxInFlight(), 1);
  assert.ok(s.writes() >= 2 && s.writes() <= 4, `writes: ${s.writes()}`);
  assert.equal(calls, [true, false], 'told to stop once, then to go on');
  assert.is(failed, null);
});

test('one-byte chunks: one write per MiB (libuv splits a writev longer than IOV_MAX), the bytes in order', async () => {
  const file = join(root, 'd');
  writeFileSync(file, '');
  const fh = await open(file, 'r+');
  const s = slowed(fh, 0);
  const body = randomBytes(WRITE_BATCH + 1000);
  const w = new BatchWriter(s.fh, 0, () => undefined, () => assert.unreachable('no failure'));
  for (let i = 0; i < body.length; i++) w.push(body.subarray(i, i + 1));
  await w.end();
  await fh.close();
  assert.is(s.writes(), 2);
  assert.ok(readFileSync(file).equals(body));
});

test('a failed write stops the transfer (failed is called), and end() throws it; nothing more is written', async () => {
  const file = join(root, 'b');
  writeFileSync(file, '');
  const fh = await open(file, 'r+');
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const s = slowed(fh, 5, enospc);
  const failures: unknown[] = [];
  const w = new BatchWriter(s.fh, 0, () => undefined, (e) => failures.push(e));
  w.push(randomBytes(WRITE_BATCH));
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(failures, [enospc]);
  w.push(randomBytes(WRITE_BATCH)); // what the sender had in hand before it stopped
  const err = await w.end().then(() => null, (e: unknown) => e);
  await fh.close();
  assert.is(err, enospc);
  assert.is(s.writes(), 1, 'no write after the failure');
});

test('a body smaller than a batch is one write, at end()', async () => {
  const file = join(root, 'c');
  writeFileSync(file, '');
  const fh = await open(file, 'r+');
  const s = slowed(fh, 0);
  const w = new BatchWriter(s.fh, 0, () => assert.unreachable('no stop for one batch'), () => assert.unreachable('no failure'));
  const body = randomBytes(300_000);
  for (let i = 0; i < body.length; i += 16384) w.push(body.subarray(i, i + 16384));
  assert.is(s.writes(), 0);
  await w.end();
  await fh.close();
  assert.is(s.writes(), 1);
  assert.is(s.now(), 1, 'the only batch is the last: written at once, not on the thread pool');
  assert.ok(readFileSync(file).equals(body));
});

test('the last batch failing (a full disk at the very end) is what end() throws', async () => {
  const file = join(root, 'e');
  writeFileSync(file, '');
  const fh = await open(file, 'r+');
  const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  const s = slowed(fh, 0, undefined, enospc);
  const w = new BatchWriter(s.fh, 0, () => undefined, () => assert.unreachable('failed() is for background writes'));
  w.push(randomBytes(WRITE_BATCH + 10));
  w.push(randomBytes(100));
  const err = await w.end().then(() => null, (e: unknown) => e);
  await fh.close();
  assert.is(err, enospc);
  assert.is(s.writes(), 2);
});

test.run();
