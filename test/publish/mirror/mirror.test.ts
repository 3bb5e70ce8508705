// publish/mirror/mirror: a channel copied (all of it, or some products and levels) with every byte verified; a rerun
// copies only what is missing; an interrupted run leaves the copy as it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mirror } from '../../../src/publish/mirror/mirror.js';
import { FolderTransport } from '../../../src/channel/folder.js';
import { INDEX_FILE } from '../../../src/core/layout.js';
import { makeFixture, PRODUCT } from '../../helpers/pack.js';
import { thrown } from '../../helpers/thrown.js';
import { tmpDir } from '../../helpers/tmp.js';

const UNSIGNED = { allowUnsigned: true };

test('the whole unsigned channel, then a rerun that copies nothing again', async () => {
  const f = await makeFixture();
  const to = join(tmpDir(), 'copy');
  const r = await mirror({ from: new FolderTransport(f.repo), to, trust: UNSIGNED });
  assert.equal([r.signed, r.products[PRODUCT]], [false, [0, 1, 2]]);
  assert.ok(r.blobsCopied > 0);
  assert.is(readFileSync(join(to, INDEX_FILE), 'utf8'), readFileSync(join(f.repo, INDEX_FILE), 'utf8'));
  const again = await mirror({ from: new FolderTransport(f.repo), to, trust: UNSIGNED });
  assert.equal([again.blobsCopied, again.blobsPresent], [0, r.blobsCopied]);
});

test('levels out of range, an unknown product, an aborted run: refused, the copy left as it was (or not made)', async () => {
  const f = await makeFixture();
  const to = join(tmpDir(), 'copy');
  assert.match((await thrown(() => mirror({ from: new FolderTransport(f.repo), to, trust: UNSIGNED, levels: { from: 7 } }), 'usage')).message, 'no published level is in the --levels range');
  await thrown(() => mirror({ from: new FolderTransport(f.repo), to, trust: UNSIGNED, products: ['wso2is-7.0.0'] }));
  const ac = new AbortController();
  ac.abort();
  await thrown(() => mirror({ from: new FolderTransport(f.repo), to, trust: UNSIGNED, signal: ac.signal }));
  assert.ok(!existsSync(to) || readdirSync(to).length === 0, existsSync(to) ? readdirSync(to).join(',') : 'absent');
});

test.run();
