// channel/open.ts alone: which transport a location gets (folder, HTTP, bundle, none), the refusals made at open
// (a bundle without a pinned root, --accept-expired on a channel, a missing folder), a bundle's levels narrowed by
// its bundle.json (never widened by it), and openPackRepository taking trust, cache and staging from the pack handle.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { buildFixtures } from '../../scripts/build-fixtures.mjs';
import { UpdateError } from '../../src/core/errors.js';
import type { PackState } from '../../src/core/model.js';
import { isChannel, openPackRepository, openRepository, openTransport } from '../../src/channel/open.js';
import { FolderTransport } from '../../src/channel/folder.js';
import { BundleTransport } from '../../src/channel/bundle/transport.js';
import { writeBundle } from '../../src/publish/bundle/write.js';
import { openPack } from '../../src/io/pack.js';
import { tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('wso2update-open-');
let n = 0;
const fresh = (name: string): string => join(dir, `${n++}-${name}`);
const fx = buildFixtures(fresh('fx')) as { repo: string; root: string; product: string };
const unsigned = buildFixtures(fresh('fx-unsigned'), { signed: false }) as { repo: string; product: string };

const pinned = (): string => {
  const t = fresh('trust');
  mkdirSync(t);
  cpSync(fx.root, join(t, 'root.json'));
  return t;
};

/** The signed repository written whole into a bundle, with a bundle.json saying `levels` (none: no bundle.json). */
async function bundleOf(levels: number[] | null): Promise<string> {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [relative(fx.repo, join(d, e.name))]));
  const out = fresh('bundle.tar');
  const info = levels && {
    formatVersion: 1, kind: 'update', product: fx.product, fromLevel: levels[0], toLevel: levels.at(-1), levels,
    createdAt: '2024-01-01T00:00:00.000Z', toolVersion: '0.1.0', blobs: 0, blobBytes: 0,
  };
  await writeBundle({ repoDir: fx.repo, paths: walk(fx.repo), out, ...(info ? { extra: { 'bundle.json': Buffer.from(JSON.stringify(info)) } } : {}) });
  return out;
}

async function refused(p: Promise<unknown>, code: string, re: RegExp): Promise<void> {
  const err = await p.then(() => null, (e: unknown) => e);
  assert.instance(err, UpdateError, `expected a refusal matching ${re}`);
  assert.is((err as UpdateError).code, code, (err as Error).message);
  assert.match((err as Error).message, re);
}

/** A pack home with the tool's folder, and (when `trust`) the fixture's root pinned in it. */
function packHome(trust: boolean): string {
  const home = fresh('pack');
  mkdirSync(join(home, 'updates', 'wso2update'), { recursive: true });
  if (trust) cpSync(pinned(), join(home, 'updates', 'wso2update', 'trust'), { recursive: true });
  return home;
}
const stateFor = (repository: string, allowUnsigned = false): PackState => ({ product: fx.product, repository, ...(allowUnsigned ? { allowUnsigned } : {}) }) as PackState;

test('the transport table: a folder, a file (bundle, only for pinning without a root), a URL scheme nobody serves', async () => {
  const folder = await openTransport(fx.repo);
  assert.instance(folder, FolderTransport);
  const bundle = await openTransport(await bundleOf(null), { pinning: true });
  assert.instance(bundle, BundleTransport);
  await bundle.close?.();
  await refused(openTransport(await bundleOf(null)), 'verification', /read only against a pinned trust root/);
  await refused(openTransport(join(fx.repo, 'nope')), 'not-found', /repository folder .* does not exist/);
  await refused(openTransport('ftp://127.0.0.1/repo'), 'usage', /unsupported repository location: ftp:/);
  assert.ok(isChannel(fx.repo));
  assert.ok(isChannel('https://127.0.0.1/repo'));
  assert.not.ok(isChannel(await bundleOf(null)));
  assert.not.ok(isChannel(join(fx.repo, 'gone')));
});

test('--accept-expired is for bundles only: a signed folder is refused at open, before anything is read', async () => {
  await refused(openRepository(fx.repo, { trustDir: pinned(), acceptExpiredBundle: true }), 'usage', /--accept-expired applies to offline bundles only/);
  const r = await openRepository(fx.repo, { trustDir: pinned() });
  assert.equal(await r.levels(fx.product), [0, 1, 2, 3]);
  await r.close();
});

test("a bundle offers only the levels its bundle.json names that the signed index lists; no bundle.json: all", async () => {
  const narrowed = await openRepository(await bundleOf([1, 2]), { trustDir: pinned() });
  assert.equal(await narrowed.levels(fx.product), [1, 2]);
  await narrowed.close();
  // bundle.json is unsigned: a level it claims that the index does not list is never offered.
  const forged = await openRepository(await bundleOf([2, 3, 4, 5]), { trustDir: pinned() });
  assert.equal(await forged.levels(fx.product), [2, 3]);
  await forged.close();
  const whole = await openRepository(await bundleOf(null), { trustDir: pinned() });
  assert.equal(await whole.levels(fx.product), [0, 1, 2, 3]);
  await whole.close();
});

test('a bundle with expired-or-not metadata and --accept-expired: judged at the time bundle.json gives, accepted', async () => {
  const r = await openRepository(await bundleOf([0, 3]), { trustDir: pinned(), acceptExpiredBundle: true });
  assert.equal(await r.levels(fx.product), [0, 3]);
  assert.equal((r as { warnings?: unknown[] }).warnings, []); // the fixture's metadata is unexpired now too
  await r.close();
});

test("openPackRepository: the pack's pinned root, its cache only when the run keeps blobs, the run's repository over the state's", async () => {
  const home = packHome(true);
  const pack = openPack(home);
  const level = 3;
  const pick = async (cache: boolean, state: PackState, repo?: string): Promise<string[]> => {
    const r = await openPackRepository(pack, state, { repo, cache });
    const files = Object.values((await r.manifest(fx.product, level)).manifest.files).filter((e) => e.kind === 'file');
    const f = files[0];
    if (f.kind !== 'file') throw new Error('no file');
    await r.readBlob(f.sha256, f.size);
    await r.close();
    return existsSync(pack.paths.cache) ? readdirSync(pack.paths.cache) : [];
  };
  assert.equal(await pick(false, stateFor(fx.repo)), [], 'no cache: nothing kept');
  assert.is((await pick(true, stateFor(join(fx.repo, 'gone')), fx.repo)).length, 1, 'the run\'s --repo wins; the blob is kept');
  assert.ok(existsSync(join(pack.paths.trust, 'timestamp.json')), 'trust refreshed into the pack\'s own trust folder');
  // An unsigned channel against a pinned root: the root is required, so the refresh fails at open.
  await refused(openPackRepository(pack, stateFor(unsigned.repo), { cache: false }), 'verification', /the repository is not signed: it has no metadata\/timestamp\.json/);
});

test('openPackRepository: a pack without a pinned root reads unsigned only when adopted --allow-unsigned; never a bundle', async () => {
  const pack = openPack(packHome(false));
  await refused(openPackRepository(pack, stateFor(unsigned.repo), { cache: false }), 'verification', /has no pinned trust root .* not adopted with --allow-unsigned/);
  const r = await openPackRepository(pack, stateFor(unsigned.repo, true), { cache: false });
  assert.equal(await r.levels(unsigned.product), [0, 1, 2, 3]);
  await r.close();
  await refused(openPackRepository(pack, stateFor(await bundleOf(null), true), { cache: false }), 'verification', /a bundle is never accepted unsigned/);
});

test.run();
