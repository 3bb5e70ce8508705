// Ctrl-C while create-update packs a large blob (issue 22 review): the writer reads each file straight into its
// buffers with synchronous reads and yields only when a buffer is handed to a write. An interrupt that arrives while
// the last (or only) large file is being packed must still stop the writer: nothing published, no temporary left.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closeSync, ftruncateSync, mkdirSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateError } from '../../../src/core/errors.js';
import { SINK_BYTES } from '../../../src/publish/bundle/archive-sink.js';
import { writeBundle } from '../../../src/publish/bundle/write.js';
import { tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-bundle-interrupt-');

/** A sparse file of `size` bytes: cheap on disk, read back as zeros. */
function sparse(path: string, size: number): void {
  const fd = openSync(path, 'w');
  try {
    ftruncateSync(fd, size);
  } finally {
    closeSync(fd);
  }
}

test('an interrupt during the last file, after the writer first yields, publishes nothing and leaves no temporary', async () => {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, 'blobs'), { recursive: true });
  writeFileSync(join(repo, 'blobs/a'), 'small first');
  sparse(join(repo, 'blobs/z'), 16 * SINK_BYTES); // the last entry: 16 buffers, so the writer yields 15 times inside it
  const out = join(dir, 'out', 'b.tar');
  mkdirSync(join(out, '..'));
  writeFileSync(out, 'an earlier bundle');
  const ac = new AbortController();
  let verified = false;
  // The first time the writer lets the event loop run is inside blobs/z (the small file never fills a buffer).
  setImmediate(() => ac.abort());
  const err = await writeBundle({
    repoDir: repo, paths: ['blobs/a', 'blobs/z'], out, signal: ac.signal, verify: async () => { verified = true; },
  }).then(() => null, (e: unknown) => e);
  assert.ok(ac.signal.aborted, 'the interrupt came while the writer ran');
  assert.instance(err, UpdateError, 'an interrupt during the last file must refuse, not publish');
  assert.is((err as UpdateError).code, 'interrupted');
  assert.match((err as Error).message, /interrupted while writing/);
  assert.not.ok(verified, 'nothing read back: the write stopped');
  assert.equal(readdirSync(join(out, '..')), ['b.tar'], 'no temporary sibling left');
});

test.run();
