// channel/trust/source: a pack trusts its pinned root, or nothing only when adopted with --allow-unsigned; else refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packTrust } from '../../../src/channel/trust/source.js';
import {} from '../../../src/channel/trust/store.js';
import { UpdateError } from '../../../src/core/errors.js';
import { tmpDir } from '../../helpers/tmp.js';
import { openPack, packPaths } from '../../../src/io/pack.js';

test('a pinned root wins, even on a pack adopted unsigned; unsigned allowed: no trust folder', () => {
  const h = tmpDir();
  assert.equal(packTrust(openPack(h), { allowUnsigned: true }), {});
  mkdirSync(packPaths(h).trust, { recursive: true });
  writeFileSync(join(packPaths(h).trust, 'root.json'), '{}');
  assert.equal(packTrust(openPack(h), { allowUnsigned: false }), { trustDir: packPaths(h).trust });
  assert.equal(packTrust(openPack(h), { allowUnsigned: true }), { trustDir: packPaths(h).trust });
});

test('neither: refused (exit 7) naming the missing root, with both ways back', () => {
  const h = tmpDir();
  for (const state of [{ allowUnsigned: false }, {}]) {
    try {
      packTrust(openPack(h), state as { allowUnsigned: boolean });
      assert.unreachable();
    } catch (err) {
      assert.instance(err, UpdateError);
      assert.is((err as UpdateError).code, 'verification');
      assert.match((err as Error).message, `no pinned trust root (${packPaths(h).trust}/root.json)`);
      assert.match((err as UpdateError).hint ?? '', 'init --trust-root ROOT.json');
    }
  }
});

test.run();
