// core/publish: the pure half of `publish`: the product-name rule, a level's changes, the descriptor.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertProductName, buildDescriptor, changesBetween, PRODUCT_PATTERN } from '../../src/core/publish.js';
import { UpdateError } from '../../src/core/errors.js';
import type { Entry } from '../../src/core/model.js';

const f = (sha: string, mode = '0644'): Entry => ({ kind: 'file', sha256: sha.repeat(64), size: 1, mode } as Entry);

test('product names: WSO2\'s <name>-<x.y.z>, anything else a usage error with an example', () => {
  for (const ok of ['wso2am-4.2.0', 'wso2is-km-5.10.0', 'X-0.0.1']) assertProductName(ok);
  assert.equal(PRODUCT_PATTERN.exec('wso2is-km-5.10.0')?.slice(1), ['wso2is-km', '5.10.0']);
  for (const bad of ['wso2am', 'wso2am-4.2', 'wso2am-4.2.0 ', '../x-1.2.3', 'am_x-1.2.3', '', 'wso2am-4.2.0\n']) {
    try {
      assertProductName(bad);
      assert.unreachable(bad);
    } catch (err) {
      assert.instance(err, UpdateError);
      assert.is((err as UpdateError).code, 'usage');
      assert.match((err as Error).message, `--product must be <name>-<x.y.z>, got ${JSON.stringify(bad)}`);
      assert.match((err as UpdateError).hint ?? '', '--product wso2am-4.2.0');
    }
  }
});

test('changesBetween: added, modified (content, mode, kind, link text) and removed; the first level adds all', () => {
  const prev: Record<string, Entry> = { a: f('a'), b: f('b'), c: f('c'), d: { kind: 'symlink', target: 'x' }, e: f('e'), gone: f('g') };
  const next: Record<string, Entry> = { a: f('a'), b: f('B'), c: f('c', '0755'), d: { kind: 'symlink', target: 'y' }, e: { kind: 'symlink', target: 'e' }, z: f('z') };
  assert.equal(changesBetween(prev, next), { added: ['z'], modified: ['b', 'c', 'd', 'e'], removed: ['gone'] });
  assert.equal(changesBetween(null, { a: f('a') }), { added: ['a'], modified: [], removed: [] });
  assert.equal(changesBetween(next, next), { added: [], modified: [], removed: [] });
  // The same entry with its keys in another order is no change (compared as canonical JSON).
  assert.equal(changesBetween({ a: { mode: '0644', size: 1, sha256: 'a'.repeat(64), kind: 'file' } as Entry }, { a: f('a') }).modified, []);
});

test('buildDescriptor: notes where given, a title and empty lists where not', () => {
  const changes = { added: ['x'], modified: [], removed: [] };
  assert.equal(buildDescriptor('wso2am-4.2.0', 3, '2026-12-07', {}, changes), {
    level: 3, date: '2026-12-07', title: 'wso2am-4.2.0 level 3', description: '', fixes: [], securityAdvisories: [], changes,
  });
  const d = buildDescriptor('p-1.0.0', 1, 'd', { title: 'T', description: 'D', fixes: [{ id: 'F-1' } as never] }, changes);
  assert.is(d.title, 'T');
  assert.is(d.description, 'D');
  assert.is(d.fixes.length, 1);
});

test.run();
