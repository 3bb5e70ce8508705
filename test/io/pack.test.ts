// io/pack.ts alone: every record path of the tool sits under the pack's updates/ folder, written once; the handle
// carries the ops it was opened with, and withOps gives the same pack through other operations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join, relative } from 'node:path';
import { openPack, packPaths, withOps } from '../../src/io/pack.js';
import { realFs, type FsOps } from '../../src/io/fsops.js';

test("every path is inside the pack's updates/ folder, the tool's own under updates/wso2update", () => {
  const home = '/opt/wso2am-4.2.0';
  const p = packPaths(home);
  assert.is(p.own, join(home, 'updates', 'wso2update'));
  for (const [name, path] of Object.entries(p)) {
    const rel = relative(home, path);
    assert.ok(rel.startsWith('updates/') && !rel.includes('..'), `${name}: ${rel}`);
  }
  const own = ['state', 'baseManifest', 'journal', 'lock', 'staging', 'generations', 'cache', 'trust'] as const;
  for (const name of own) assert.is(relative(p.own, p[name]).includes('/'), false, `${name} is directly in the tool's folder`);
  // WSO2's files stay where WSO2's tool looks for them.
  assert.equal([p.product, p.config, p.logs].map((x) => relative(home, x)), ['updates/product.txt', 'updates/config.json', 'updates/logs']);
  // No two records share a path.
  assert.is(new Set(Object.values(p)).size, Object.keys(p).length);
});

test('the handle: home and paths as given, realFs by default, withOps swaps only the operations', () => {
  const pack = openPack('/srv/am');
  assert.is(pack.home, '/srv/am');
  assert.is(pack.ops, realFs);
  assert.equal(pack.paths, packPaths('/srv/am'));
  const other = { ...realFs } as FsOps;
  const seen = withOps(pack, other);
  assert.is(seen.ops, other);
  assert.is(seen.home, pack.home);
  assert.is(seen.paths, pack.paths);
  assert.is(pack.ops, realFs, 'the original handle is unchanged');
});

test.run();
