// channel/bundle/info: bundle.json, unsigned: it may pick a default level and a reference time, never vouch for content,
// and an inconsistent one is refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUNDLE_INFO, readBundleInfo } from '../../../src/channel/bundle/info.js';
import { FolderTransport } from '../../../src/channel/folder.js';
import { UpdateError } from '../../../src/core/errors.js';
import { tmpDir } from '../../helpers/tmp.js';
import { thrown } from '../../helpers/thrown.js';

const INFO = { formatVersion: 1, kind: 'update', product: 'wso2am-4.2.0', fromLevel: 0, toLevel: 2, levels: [0, 1, 2], createdAt: '2026-12-01T00:00:00Z', toolVersion: '0.1.0', blobs: 3, blobBytes: 10 };

function folderWith(content: string | null): FolderTransport {
  const d = tmpDir();
  mkdirSync(d, { recursive: true });
  if (content !== null) writeFileSync(join(d, BUNDLE_INFO), content);
  return new FolderTransport(d);
}

const refusal = (t: FolderTransport): Promise<UpdateError> => thrown(() => readBundleInfo(t));

test('a consistent bundle.json is read as written', async () => {
  assert.equal(await readBundleInfo(folderWith(JSON.stringify(INFO))), INFO);
});

test('no bundle.json: "not an update bundle" (exit 7), saying which tool makes one', async () => {
  const e = await refusal(folderWith(null));
  assert.is(e.code, 'verification');
  assert.match(e.message, 'is not an update bundle: it has no bundle.json');
  assert.match(e.hint ?? '', 'create-update');
});

test('levels out of order, or not running from fromLevel to toLevel: inconsistent, named', async () => {
  for (const levels of [[0, 2, 1], [1, 2], [0, 1], [0, 0, 2]]) {
    const e = await refusal(folderWith(JSON.stringify({ ...INFO, levels })));
    assert.is(e.code, 'verification');
    assert.match(e.message, `is inconsistent: its levels ${levels.join(', ')} do not run from 0 to 2`);
  }
});

test('hostile content: a schema refusal (exit 1), a duplicate key, and over 1 MiB is never read whole', async () => {
  for (const bad of ['{', '[]', JSON.stringify({ ...INFO, extra: 1 }), JSON.stringify({ ...INFO, createdAt: 'yesterday' }), '{"formatVersion":1,"formatVersion":1}']) {
    const e = await refusal(folderWith(bad));
    assert.is(e.code, 'invalid-input', bad);
    assert.match(e.message, 'bundle.json', bad);
  }
  const big = JSON.stringify({ ...INFO, toolVersion: 'x'.repeat(2 << 20) });
  const e = await refusal(folderWith(big));
  assert.match(e.message, /larger than allowed|too large|bytes/);
});

test.run();
