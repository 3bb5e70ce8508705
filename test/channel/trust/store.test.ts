// channel/trust/store: where a pack keeps its trusted TUF metadata, and the versions it holds (status shows them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasPinnedRoot, TRUSTED, trustedVersions } from '../../../src/channel/trust/store.js';
import { tmpDir } from '../../helpers/tmp.js';
import { packPaths } from '../../../src/io/pack.js';

test('the trust folder is inside the tool\'s own folder; a root is committed before what it signs', () => {
  assert.is(packPaths('/opt/am').trust, join('/opt/am', 'updates', 'wso2update', 'trust'));
  assert.equal([...TRUSTED], ['root.json', 'timestamp.json', 'snapshot.json', 'targets.json']);
});

test('versions of the roles present; an unreadable one said as such, a missing one left out; no root, not pinned', async () => {
  const d = tmpDir();
  assert.not.ok(hasPinnedRoot(d));
  assert.equal(await trustedVersions(d), {});
  writeFileSync(join(d, 'root.json'), JSON.stringify({ signed: { version: 3, expires: '2030-01-01T00:00:00Z' } }));
  writeFileSync(join(d, 'timestamp.json'), '{torn');
  mkdirSync(join(d, 'snapshot.json'));
  assert.ok(hasPinnedRoot(d));
  assert.equal(await trustedVersions(d), {
    root: { version: 3, expires: '2030-01-01T00:00:00Z' },
    timestamp: { version: -1, expires: 'unreadable' },
  });
});

test.run();
