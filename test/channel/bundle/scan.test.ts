// channel/bundle/scan: the strict walk over a plain tar, header by header, refusing the first hostile thing; entry
// data is located, never read. The corpus is test/helpers/hostile-tar.ts (shared with the transport and CLI tests).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleRefusal, DEFAULT_LIMITS, scanTar, type BundleLimits } from '../../../src/channel/bundle/scan.js';
import { compressionOf } from '../../../src/channel/bundle/gunzip.js';
import { UpdateError } from '../../../src/core/errors.js';
import { hostileArchives, wrap } from '../../helpers/hostile-tar.js';
import { tmpDir } from '../../helpers/tmp.js';
import { thrown } from '../../helpers/thrown.js';

async function scan(bytes: Buffer, limits: BundleLimits = DEFAULT_LIMITS) {
  const file = join(tmpDir(), 'b.tar');
  writeFileSync(file, bytes);
  const fh = await open(file, 'r');
  try {
    return await scanTar(fh, bytes.length, 'b.tar', limits);
  } finally {
    await fh.close();
  }
}

const refusal = (bytes: Buffer, limits?: BundleLimits): Promise<UpdateError> => thrown(() => scan(bytes, limits), 'verification');

test('a good archive: each entry\'s name, size and where its data starts', async () => {
  const entries = await scan(wrap([{ path: 'index.json', data: '{}' }, { path: 'blobs/a', data: 'hello' }, { path: 'blobs/pax', pax: { path: 'blobs/long-name-from-pax' }, data: 'x' }]));
  assert.equal([...entries.values()], [
    { path: 'index.json', size: 2, offset: 512 },
    { path: 'blobs/a', size: 5, offset: 1536 },
    { path: 'blobs/long-name-from-pax', size: 1, offset: 3584 }, // after the pax header, its body and the entry's header
  ]);
});

test('every plain hostile archive of the corpus is refused by the walk itself, with its reason', async () => {
  let n = 0;
  for (const c of hostileArchives()) {
    const bytes = c.bytes();
    if (compressionOf(bytes) !== null) continue; // the compressed cases are gunzip's (and the transport's)
    const e = await refusal(bytes);
    assert.match(e.message, c.refusal, c.name);
    assert.match(e.message, /^the bundle b\.tar /, c.name);
    n += 1;
  }
  assert.ok(n >= 40, `${n} cases`);
});

test('the caps: entries, bytes per entry, bytes in all', async () => {
  const three = wrap([{ path: 'a', data: '12345' }, { path: 'b', data: '12345' }, { path: 'c', data: '12345' }]);
  const limits = (over: Partial<BundleLimits>) => ({ ...DEFAULT_LIMITS, ...over });
  assert.match((await refusal(three, limits({ maxEntries: 2 }))).message, 'holds more than 2 entries');
  assert.match((await refusal(three, limits({ maxEntryBytes: 4 }))).message, '"a" declares 5 bytes (at most 4 per entry)');
  assert.match((await refusal(three, limits({ maxTotalBytes: 14 }))).message, 'declares more than 14 bytes of data in all');
  assert.is((await scan(three, limits({ maxEntries: 3, maxEntryBytes: 5, maxTotalBytes: 15 }))).size, 3);
});

test('a walk over more headers than it reads between yields to the event loop: every entry found, timers run meanwhile, a refusal past a yield still named', async () => {
  const many = Array.from({ length: 1300 }, (_, i) => ({ path: `blobs/${String(i).padStart(4, '0')}`, data: 'x'.repeat(i % 700) }));
  const bytes = wrap(many);
  const file = join(tmpDir(), 'many.tar');
  writeFileSync(file, bytes);
  const fh = await open(file, 'r');
  let ticks = 0;
  const timer = setInterval(() => (ticks += 1), 0);
  try {
    // Only the walk runs while it is counted: the reads are synchronous, so ticks come from its yields alone.
    const entries = await scanTar(fh, bytes.length, 'many.tar', DEFAULT_LIMITS);
    assert.ok(ticks > 0, 'the event loop ran during the walk');
    assert.is(entries.size, many.length);
    assert.is(entries.get('blobs/1299')?.size, 1299 % 700);
  } finally {
    clearInterval(timer);
    await fh.close();
  }
  assert.match((await refusal(wrap([...many, { path: 'blobs/0005', data: 'twice' }]))).message, 'holds "blobs/0005" twice');
});

test('bundleRefusal: one wording, and the way to get a whole bundle', () => {
  const e = bundleRefusal('/x.tar', 'is odd');
  assert.is(e.message, 'the bundle /x.tar is odd');
  assert.match(e.hint ?? '', 'compare its sha256');
});

test.run();
