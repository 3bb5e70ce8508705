// publish/mirror/copy: a mirror's writes staged apart and moved into place at commit (timestamp last), previewable
// first; abort leaves the copy as it was; a fetched file is checked against its size and sha256 on the way.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MirrorCopy } from '../../../src/publish/mirror/copy.js';
import { FolderTransport } from '../../../src/channel/folder.js';
import { sha256Hex } from '../../../src/core/canonical.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

test('staged files are invisible until commit, readable through the preview, and aliases share their bytes', async () => {
  const to = join(tmpDir(), 'copy');
  const c = await MirrorCopy.open(to);
  await c.stage('products/x.json', Buffer.from('{"a":1}'));
  await c.alias('products/y.json', 'products/x.json');
  assert.not.ok(existsSync(join(to, 'products/x.json')));
  assert.equal(await c.preview().read('products/x.json'), Buffer.from('{"a":1}'));
  await c.commit();
  assert.is(readFileSync(join(to, 'products/y.json'), 'utf8'), '{"a":1}');
  assert.is(statSync(join(to, 'products/x.json')).ino, statSync(join(to, 'products/y.json')).ino);
  assert.ok(await c.present('products/x.json', sha256Hex('{"a":1}')));
  assert.not.ok(await c.present('products/x.json', sha256Hex('other')));
  assert.not.ok(await c.present('products/none.json', sha256Hex('x')));
});

test('fetch checks size and sha256 on the way; abort removes what this run made, the folder too when it made it', async () => {
  const src = tmpDir();
  mkdirSync(join(src, 'blobs'));
  writeFileSync(join(src, 'blobs/b'), 'blob bytes');
  const to = join(tmpDir(), 'fresh');
  const c = await MirrorCopy.open(to);
  await c.fetch(new FolderTransport(src), 'blobs/b', { size: 10, sha256: sha256Hex('blob bytes') });
  await thrown(() => c.fetch(new FolderTransport(src), 'blobs/b2', { size: 10, sha256: sha256Hex('blob bytes') }));
  writeFileSync(join(src, 'blobs/evil'), 'blob bytez');
  await thrown(() => c.fetch(new FolderTransport(src), 'blobs/evil', { size: 10, sha256: sha256Hex('blob bytes') }), 'verification');
  await c.abort();
  assert.not.ok(existsSync(to));
  const kept = tmpDir();
  writeFileSync(join(kept, 'index.json'), 'old');
  const k = await MirrorCopy.open(kept);
  await k.stage('index.json', Buffer.from('new'));
  await k.abort();
  assert.equal(readdirSync(kept), ['index.json']);
  assert.is(readFileSync(join(kept, 'index.json'), 'utf8'), 'old');
});

test.run();
