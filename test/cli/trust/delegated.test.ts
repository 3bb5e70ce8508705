// A channel whose publisher delegates (issue 20): the signed fixture repository re-signed the way other TUF tooling
// would, with one delegated role per product holding that product's manifests and descriptors, named
// "products/wso2am-4.2.0" (a "/" in a role name: fetched as metadata/1.products%2Fwso2am-4.2.0.json, kept in a folder
// as metadata/1.products/wso2am-4.2.0.json, the file a static server maps that URL to). init, plan, mirror and
// create-update read it from a folder and over HTTP (`wso2update serve`); a delegated role signed by a key its
// delegator does not list is refused with exit 7, the pack unchanged.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Metadata, MetadataKind, Snapshot, Targets, Timestamp } from '@tufjs/models';
import { Delegations } from '@tufjs/models/dist/delegations.js';
import { DelegatedRole } from '@tufjs/models/dist/role.js';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { loadKeys, newKey, type SigningKey } from '../../../src/publish/keys.js';
import { serveCli } from '../../helpers/servers.js';
import { copyRepo, md, metaFile, sign } from '../../helpers/tuf-evil.js';
import { tufKey } from '../../helpers/tuf-sim.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const dir = tmpDir('wso2update-delegated-');
const fx = buildFixtures(join(dir, 'fx')) as { repo: string; keys: string; root: string; product: string };
const ROLE = `products/${fx.product}`;
const json = (b: Buffer): never => JSON.parse(b.toString('utf8')) as never;

/** Moves the product's targets into a delegated role signed by `key`, and re-signs targets, snapshot and timestamp. */
async function delegate(repo: string, key: SigningKey): Promise<void> {
  const keys = await loadKeys(fx.keys);
  const ts = Metadata.fromJSON(MetadataKind.Timestamp, json(md(repo, 'timestamp.json')));
  const snap = Metadata.fromJSON(MetadataKind.Snapshot, json(md(repo, `${ts.signed.snapshotMeta.version}.snapshot.json`)));
  const tv = snap.signed.meta['targets.json'].version;
  const top = Metadata.fromJSON(MetadataKind.Targets, json(md(repo, `${tv}.targets.json`)));
  const role = new Metadata(new Targets({ version: 1, specVersion: '1.0.31', expires: top.signed.expires }));
  for (const [path, t] of Object.entries(top.signed.targets)) {
    if (!path.startsWith(`${ROLE}/`)) continue;
    role.signed.targets[path] = t;
    delete top.signed.targets[path];
  }
  assert.ok(Object.keys(role.signed.targets).length >= 4, 'the product has manifests and descriptors to delegate');
  top.signed.delegations = new Delegations({
    keys: { [key.keyId]: tufKey(key) },
    roles: { [ROLE]: new DelegatedRole({ name: ROLE, keyIDs: [key.keyId], threshold: 1, terminating: true, paths: [`${ROLE}/*/*/*`, `${ROLE}/*/*`] }) },
  });
  top.signed.version = tv + 1;
  const roleBytes = sign(role, key);
  const roleFile = join(repo, 'metadata', `1.${ROLE}.json`);
  mkdirSync(dirname(roleFile), { recursive: true });
  writeFileSync(roleFile, roleBytes);
  const topBytes = sign(top, keys.targets);
  writeFileSync(join(repo, 'metadata', `${tv + 1}.targets.json`), topBytes);
  snap.signed.version += 1;
  snap.signed.meta['targets.json'] = metaFile(tv + 1, topBytes);
  snap.signed.meta[`${ROLE}.json`] = metaFile(1, roleBytes);
  const snapBytes = sign(snap as Metadata<Snapshot>, keys.snapshot);
  writeFileSync(join(repo, 'metadata', `${snap.signed.version}.snapshot.json`), snapBytes);
  ts.signed.version += 1;
  ts.signed.snapshotMeta = metaFile(snap.signed.version, snapBytes);
  writeFileSync(join(repo, 'metadata', 'timestamp.json'), sign(ts as Metadata<Timestamp>, keys.timestamp));
}

const productKey = newKey('targets');
const repo = copyRepo(fx.repo, join(dir, 'delegated'));
await delegate(repo, productKey);
const trustOf = (home: string) => join(home, 'updates/wso2update/trust');
let n = 0;

async function adoptAndPlan(location: string): Promise<string> {
  const home = writeHome(join(dir, `home-${n++}`));
  const init = await runCli(['init', '--home', home, '--repo', location, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  const plan = await runCli(['plan', '--home', home, '--repo', location, '--out', join(home, '..', `plan-${n}.json`)]);
  assert.is(plan.code, 0, plan.stderr);
  assert.ok(existsSync(join(trustOf(home), `${encodeURIComponent(ROLE)}.json`)), 'the delegated role is kept, under its URL-encoded name');
  return home;
}

test('a folder: init and plan read the manifests and descriptors through the delegated role', async () => {
  assert.ok(existsSync(join(repo, 'metadata', '1.products', `${fx.product}.json`)));
  await adoptAndPlan(repo);
});

test('over HTTP (`wso2update serve`): the role is asked for URL-encoded, and read', async () => {
  const server = await serveCli(dir);
  try {
    await adoptAndPlan(`${server.url}/delegated`);
  } finally {
    await server.stop();
  }
});

test('mirror copies the delegated role; the copy is a channel clients accept', async () => {
  const copy = join(dir, 'mirror');
  const m = await runCli(['mirror', '--from', repo, '--to', copy, '--trust-root', fx.root]);
  assert.is(m.code, 0, m.stderr);
  assert.equal(readFileSync(join(copy, 'metadata', '1.products', `${fx.product}.json`)), readFileSync(join(repo, 'metadata', '1.products', `${fx.product}.json`)));
  await adoptAndPlan(copy);
});

test('create-update bundles the delegated role; plan --bundle verifies through it', async () => {
  const bundle = join(dir, 'delegated.tar');
  const made = await runCli(['create-update', '--repo', repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', bundle]);
  assert.is(made.code, 0, made.stderr);
  const home = writeHome(join(dir, 'home-bundle'));
  const init = await runCli(['init', '--home', home, '--repo', repo, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  const plan = await runCli(['plan', '--home', home, '--bundle', bundle, '--out', join(dir, 'plan-bundle.json')]);
  assert.is(plan.code, 0, plan.stderr);
});

test('a delegated role signed by a key its delegator does not list: exit 7, nothing planned, the pack unchanged', async () => {
  const evil = copyRepo(fx.repo, join(dir, 'evil'));
  await delegate(evil, productKey);
  const role = Metadata.fromJSON(MetadataKind.Targets, json(readFileSync(join(evil, 'metadata', `1.${ROLE}.json`))));
  const forged = sign(role, newKey('targets'));
  writeFileSync(join(evil, 'metadata', `1.${ROLE}.json`), forged);
  // The snapshot must name the forged bytes, or the hash check (not the signature) would refuse them.
  const keys = await loadKeys(fx.keys);
  const ts = Metadata.fromJSON(MetadataKind.Timestamp, json(md(evil, 'timestamp.json')));
  const snap = Metadata.fromJSON(MetadataKind.Snapshot, json(md(evil, `${ts.signed.snapshotMeta.version}.snapshot.json`)));
  snap.signed.meta[`${ROLE}.json`] = metaFile(1, forged);
  const snapBytes = sign(snap as Metadata<Snapshot>, keys.snapshot);
  writeFileSync(join(evil, 'metadata', `${snap.signed.version}.snapshot.json`), snapBytes);
  ts.signed.snapshotMeta = metaFile(snap.signed.version, snapBytes);
  writeFileSync(join(evil, 'metadata', 'timestamp.json'), sign(ts as Metadata<Timestamp>, keys.timestamp));

  const home = writeHome(join(dir, 'home-evil'));
  const init = await runCli(['init', '--home', home, '--repo', fx.repo, '--trust-root', fx.root]);
  assert.is(init.code, 0, init.stderr);
  const state = readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8');
  const out = join(dir, 'plan-evil.json');
  const r = await runCli(['plan', '--home', home, '--repo', evil, '--out', out]);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stderr.split('\n')[0], /^Error: signature check failed .*products\/wso2am-4\.2\.0 was signed by 0\/1 keys/);
  assert.not.ok(existsSync(out));
  assert.is(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'), state);
  assert.not.ok(existsSync(join(trustOf(home), `${encodeURIComponent(ROLE)}.json`)), 'the forged role is not kept');
});

test.run();
