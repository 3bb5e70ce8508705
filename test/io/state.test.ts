// io/state.ts alone: the pack's records read and written through the pack handle. Reads go through the handle's
// operations (a failing read there fails the record's read), a folder without product.txt is named as no product
// home, WSO2's "update-level" is read strictly and rewritten alone, and resolveHome finds the pack from its bin/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UpdateError } from '../../src/core/errors.js';
import type { PackState } from '../../src/core/model.js';
import { realFs } from '../../src/io/fsops.js';
import { openPack, withOps } from '../../src/io/pack.js';
import { assertProductHome, isAdopted, readProduct, readState, readUpdateLevel, resolveHome, setUpdateLevel, writeState } from '../../src/io/state.js';
import { tmpDir } from '../helpers/tmp.js';

function home(product = 'wso2am-4.2.0\n'): string {
  const h = tmpDir('state-home');
  mkdirSync(join(h, 'updates', 'wso2update'), { recursive: true });
  mkdirSync(join(h, 'bin'));
  if (product !== '') writeFileSync(join(h, 'updates', 'product.txt'), product);
  return h;
}

async function refused(p: Promise<unknown> | (() => unknown), code: string, re: RegExp): Promise<void> {
  const err = await (typeof p === 'function' ? Promise.resolve().then(p) : p).then(() => null, (e: unknown) => e);
  assert.instance(err, UpdateError, `expected ${re}`);
  assert.is((err as UpdateError).code, code);
  assert.match((err as Error).message, re);
}

const STATE = {
  formatVersion: 1, product: 'wso2am-4.2.0', level: 2, repository: '/srv/repo', lineage: '00000000-0000-4000-8000-000000000001',
  serial: 0, manifestDigest: 'a'.repeat(64), generations: [], keepGenerations: 3, allowUnsigned: true,
} as PackState;

test('state.json round-trips through the handle; reads go through its operations', async () => {
  const pack = openPack(home());
  assert.not.ok(isAdopted(pack));
  await refused(readState(pack), 'not-found', /wso2update state not found/);
  await writeState(pack, STATE);
  assert.ok(isAdopted(pack));
  assert.equal(await readState(pack), STATE);
  const reads: string[] = [];
  const counted = withOps(pack, { ...realFs, readFile: async (p) => { reads.push(p); return realFs.readFile(p); } });
  await readState(counted);
  assert.equal(reads, [pack.paths.state]);
  const failing = withOps(pack, { ...realFs, readFile: async () => { throw Object.assign(new Error('EIO: disk gone'), { code: 'EIO' }); } });
  await refused(readState(failing), 'io', /cannot read .*state\.json: EIO: disk gone/);
});

test('no product.txt: "not a WSO2 product home", before any record is read; a malformed identity is named', async () => {
  const bare = openPack(home(''));
  assert.throws(() => assertProductHome(bare), /is not a WSO2 product home: it has no updates\/product\.txt/);
  await refused(readState(bare), 'not-found', /is not a WSO2 product home/);
  await refused(readProduct(bare), 'not-found', /is not a WSO2 product home/);
  await refused(readProduct(openPack(home('wso2am 4.2.0; rm -rf /\n'))), 'invalid-input', /is not of the form <name>-<x\.y\.z>/);
  assert.is(await readProduct(openPack(home())), 'wso2am-4.2.0');
});

test('update-level: absent, "-1" and "" are none; a forged value is refused; setting it keeps every other key', async () => {
  const pack = openPack(home());
  assert.is(await readUpdateLevel(pack), null);
  for (const [raw, want] of [['-1', null], ['', null], ['7', 7], [12, 12]] as const) {
    writeFileSync(pack.paths.config, JSON.stringify({ 'update-level': raw }));
    assert.is(await readUpdateLevel(pack), want, String(raw));
  }
  for (const raw of ['1.5', '7; echo', '1e3']) {
    writeFileSync(pack.paths.config, JSON.stringify({ 'update-level': raw }));
    await refused(readUpdateLevel(pack), 'invalid-input', /"update-level" is .* not a whole number/);
  }
  writeFileSync(pack.paths.config, '{"update-level": "1", "update-level": "2"}');
  await refused(readUpdateLevel(pack), 'invalid-input', /config\.json/);
  writeFileSync(pack.paths.config, JSON.stringify({ username: 'ops', 'update-level': '1', channel: 'full' }, null, 2));
  await setUpdateLevel(pack, 4, 'wso2am-4.2.0');
  assert.equal(Object.entries(JSON.parse(readFileSync(pack.paths.config, 'utf8'))), [['username', 'ops'], ['update-level', '4'], ['channel', 'full']]);
});

test("resolveHome: --home wins (resolved against the folder run from); run from a pack's bin/, the pack", () => {
  const h = home();
  assert.is(resolveHome(join(h, 'bin')), h);
  assert.is(resolveHome('/tmp', 'x/y'), '/tmp/x/y');
  assert.is(resolveHome({ cwd: h }), h);
  assert.throws(() => resolveHome('/tmp', 5), /--home must be a folder path/);
});

test.run();
