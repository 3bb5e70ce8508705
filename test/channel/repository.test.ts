// The verifying repository over the folder transport, on a real published repository: reads are verified (index
// schema, manifest and descriptor sha256, blob size and sha256), missing things say what exists, http:// goes
// through the HTTP transport; the transport alone (caps, sizes, special files, escapes) and the pack's blob cache.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openRepository } from '../../src/channel/open.js';
import { blobPath } from '../../src/channel/blobs.js';
import { publish } from '../../src/publish/level.js';
import { digestOf, sha256Hex } from '../../src/core/canonical.js';
import { UpdateError } from '../../src/core/errors.js';
import { FolderTransport } from '../../src/channel/folder.js';
import { VerifiedRepository } from '../../src/channel/repository.js';
import type { TrustedTargets } from '../../src/channel/trust/client.js';
import { createStaticHandler, listen } from '../../src/publish/serve.js';
import { tmpDir } from '../helpers/tmp.js';

const mkfifoSync = (p: string) => execFileSync('mkfifo', [p]);

async function published(): Promise<{ repo: string; sha: string; size: number }> {
  const tree = tmpDir('repo-tree');
  mkdirSync(join(tree, 'lib'));
  writeFileSync(join(tree, 'lib/a.jar'), 'jar A');
  writeFileSync(join(tree, 'README'), 'hello');
  const repo = join(tmpDir('repo'), 'r');
  await publish({ repo, product: 'wso2am-4.2.0', level: 0, tree, date: '2024-01-02', notes: { title: 'GA' } });
  writeFileSync(join(tree, 'lib/a.jar'), 'jar A2');
  await publish({ repo, product: 'wso2am-4.2.0', level: 2, tree, date: '2024-02-02' });
  return { repo, sha: sha256Hex('jar A2'), size: 6 };
}

async function rejects(p: Promise<unknown>, code: string, re: RegExp): Promise<UpdateError> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, code);
    assert.match(`${(err as Error).message}\n${(err as UpdateError).hint ?? ''}`, re);
    return err as UpdateError;
  }
  throw new Error(`expected ${code}`);
}

test('reads levels, manifests (digest = canonical sha256), descriptors and blobs', async () => {
  const { repo, sha, size } = await published();
  const r = await openRepository(repo);
  assert.is(r.location, repo);
  assert.equal(await r.levels('wso2am-4.2.0'), [0, 2]);
  const { manifest, digest } = await r.manifest('wso2am-4.2.0', 2);
  assert.is(digest, digestOf(manifest));
  assert.equal(Object.keys(manifest.files), ['README', 'lib/a.jar']);
  const d = await r.descriptor('wso2am-4.2.0', 2);
  assert.equal(d.changes, { added: [], modified: ['lib/a.jar'], removed: [] });
  assert.is(d.title, 'wso2am-4.2.0 level 2');
  assert.is((await r.descriptor('wso2am-4.2.0', 0)).title, 'GA');
  assert.is((await r.readBlob(sha, size)).toString(), 'jar A2');
  for (const sync of [false, true]) {
    const dest = join(tmpDir('repo-copy'), 'a.jar');
    let bytes = 0;
    await r.stageBlob(sha, size, dest, { sync, onBytes: (n) => (bytes += n) });
    assert.is(sha256Hex(readFileSync(dest)), sha);
    assert.is(bytes, size);
  }
});

test('missing repository, product and level: not-found naming what exists', async () => {
  const { repo } = await published();
  await rejects(openRepository(join(repo, 'nope')), 'not-found', /does not exist/);
  await rejects(openRepository(tmpDir('empty-repo')), 'not-found', /index is missing/);
  const r = await openRepository(repo);
  await rejects(r.levels('wso2is-7.1.0'), 'not-found', /no product wso2is-7\.1\.0[\s\S]*Products in it: wso2am-4\.2\.0/);
  await rejects(r.manifest('wso2am-4.2.0', 1), 'not-found', /no level 1[\s\S]*Published levels: 0, 2/);
  await rejects(r.readBlob('0'.repeat(64), 1), 'not-found', /missing/);
  await rejects(r.stageBlob('0'.repeat(64), 1, join(tmpDir('repo-copy'), 'x')), 'not-found', /missing/);
});

test('http(s) locations open the HTTP transport: the same verified repository, served on 127.0.0.1', async () => {
  const { repo, sha, size } = await published();
  const server = await listen(createStaticHandler(repo), '127.0.0.1', 0);
  try {
    const r = await openRepository(`${server.url}/`);
    assert.is(r.location, server.url);
    assert.equal(await r.levels('wso2am-4.2.0'), [0, 2]);
    assert.is(sha256Hex(await r.readBlob(sha, size)), sha);
    await r.close();
    await rejects(openRepository(`${server.url}/elsewhere`), 'not-found', /is missing: http:\/\/127\.0\.0\.1:\d+\/elsewhere\/index\.json/);
    await rejects(openRepository('http://updates.example.com/repo'), 'usage', /plain http to updates\.example\.com is refused/);
  } finally {
    await server.close();
  }
});

test('tampering is a verification error (exit 7): manifest, descriptor, blob read, blob copy and staging copy', async () => {
  const { repo, sha, size } = await published();
  const r = await openRepository(repo);
  appendFileSync(join(repo, 'products/wso2am-4.2.0/levels/0002/manifest.json'), ' ');
  const e = await rejects(r.manifest('wso2am-4.2.0', 2), 'verification', /does not match the sha256 in the index/);
  assert.is(e.exitCode, 7);
  appendFileSync(join(repo, 'products/wso2am-4.2.0/levels/0000/descriptor.yaml'), '#');
  await rejects(r.descriptor('wso2am-4.2.0', 0), 'verification', /descriptor/);
  writeFileSync(blobPath(repo, sha), 'corrupt');
  await rejects(r.readBlob(sha, size), 'verification', /larger than allowed \(7 bytes, at most 6\)/);
  writeFileSync(blobPath(repo, sha), 'jar');
  await rejects(r.readBlob(sha, size), 'verification', /has 3 bytes, not the 6/);
  writeFileSync(blobPath(repo, sha), 'jar A3');
  await rejects(r.readBlob(sha, size), 'verification', /does not match its sha256/);
  const dest = join(tmpDir('repo-copy'), 'a.jar');
  for (const sync of [true, false]) {
    await rejects(r.stageBlob(sha, size, dest, { sync }), 'verification', /does not match its sha256/);
    assert.not.ok(existsSync(dest), 'a failed staging copy leaves nothing behind');
  }
  writeFileSync(blobPath(repo, sha), 'a much longer blob than its manifest says');
  await rejects(r.stageBlob(sha, size, dest), 'verification', /not the 6 its manifest names/);
  assert.not.ok(existsSync(dest), 'a lying size is refused before anything is copied');
});

test('a signed target: one sha256 when the signed one is the index\'s; signed bytes the index does not name are refused', async () => {
  const { repo } = await published();
  const rel = 'products/wso2am-4.2.0/levels/0002/manifest.json';
  const [good, other] = [readFileSync(join(repo, rel)), Buffer.from(readFileSync(join(repo, rel), 'utf8').replace('"level":2', '"level":2 '))];
  // What the TUF client would hand over: bytes it checked against the signed sha256 it reports (or none: sha512 only).
  const trusted = (bytes: Buffer, signed: string | null): TrustedTargets => ({
    read: async (path) => (path === rel ? bytes : readFileSync(join(repo, path))),
    info: async (path) => {
      if (path !== rel) return { length: 0, sha256: sha256Hex(readFileSync(join(repo, path))) };
      if (signed === null) throw new UpdateError('verification', 'signed without a sha256');
      return { length: bytes.length, sha256: signed };
    },
    expiries: () => [],
    metadata: () => [],
  });
  const open = (t: TrustedTargets) => new VerifiedRepository(new FolderTransport(repo), {}, t);
  assert.is((await open(trusted(good, sha256Hex(good))).manifest('wso2am-4.2.0', 2)).manifest.level, 2);
  // The publisher signed other bytes than the index names: the signed sha256 is not the index's, so they are hashed
  // here and refused.
  await rejects(open(trusted(other, sha256Hex(other))).manifest('wso2am-4.2.0', 2), 'verification', /does not match the sha256 in the index/);
  // Signed by sha512 only: hashed here, the right bytes pass and others do not.
  assert.is((await open(trusted(good, null)).manifest('wso2am-4.2.0', 2)).manifest.level, 2);
  await rejects(open(trusted(other, null)).manifest('wso2am-4.2.0', 2), 'verification', /does not match the sha256 in the index/);
});

test('the folder transport: a cap on reads, regular files only, never a path out of the folder', async () => {
  const { repo } = await published();
  const t = new FolderTransport(repo);
  assert.is((await t.read('index.json', { maxBytes: 1 << 20 })).length > 0, true);
  await rejects(t.read('index.json', { maxBytes: 10 }), 'verification', /larger than allowed/);
  await rejects(t.read('nope.json'), 'not-found', /nope\.json is missing/);
  mkfifoSync(join(repo, 'fifo'));
  await rejects(t.read('fifo'), 'verification', /not a regular file/);
  // Read on the calling thread since issue 22: a symlink to the FIFO, a folder, a path through a file are refused too.
  execFileSync('ln', ['-s', 'fifo', join(repo, 'to-fifo')]);
  await rejects(t.read('to-fifo'), 'verification', /not a regular file/);
  await rejects(t.read('products'), 'verification', /not a regular file/);
  await rejects(t.read('index.json/x'), 'not-found', /index\.json\/x is missing/);
  await rejects(t.fetchTo('fifo', join(tmpDir('fifo-dest'), 'x'), { size: 1, sha256: '0'.repeat(64) }), 'verification', /not a regular file/);
  for (const bad of ['../outside', '/etc/passwd', 'a/../../b']) {
    const err = await t.read(bad).then(() => null, (e: Error) => e);
    assert.ok(err instanceof UpdateError, `${bad}: ${String(err)}`);
  }
  const controller = new AbortController();
  controller.abort();
  await rejects(t.read('index.json', { signal: controller.signal }), 'interrupted', /interrupted/);
});

test('blobs read while planning are kept in the cache and staged from it, verified again; a bad entry is refetched', async () => {
  const { repo, sha, size } = await published();
  const cache = join(tmpDir('cache'), 'cache');
  const r = await openRepository(repo, { cache });
  assert.is((await r.readBlob(sha, size)).toString(), 'jar A2');
  assert.is(readFileSync(join(cache, sha), 'utf8'), 'jar A2');
  // The repository loses the blob: staging still works, from the cache.
  const kept = readFileSync(blobPath(repo, sha));
  rmSync(blobPath(repo, sha));
  const dest = join(tmpDir('cache-dest'), 'a.jar');
  await r.stageBlob(sha, size, dest);
  assert.is(readFileSync(dest, 'utf8'), 'jar A2');
  // A tampered cache entry is never used: it is dropped and the blob fetched from the repository again.
  writeFileSync(join(cache, sha), 'jar B2');
  writeFileSync(blobPath(repo, sha), kept);
  const dest2 = join(tmpDir('cache-dest'), 'a.jar');
  await r.stageBlob(sha, size, dest2);
  assert.is(readFileSync(dest2, 'utf8'), 'jar A2');
  assert.not.ok(existsSync(join(cache, sha)), 'the bad entry was dropped');
  writeFileSync(join(cache, sha), 'jar B2');
  assert.is((await r.readBlob(sha, size)).toString(), 'jar A2');
  assert.is(readFileSync(join(cache, sha), 'utf8'), 'jar A2', 'refetched and kept again');
});

test('an invalid index is refused at open, naming file and position', async () => {
  const repo = tmpDir('bad-index');
  writeFileSync(join(repo, 'index.json'), '{"formatVersion": 2, "products": {}}');
  await rejects(openRepository(repo), 'invalid-input', /index\.json:1:19: formatVersion must be 1, got "2"/);
});

test.run();
