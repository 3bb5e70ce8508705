// The folder repository on a real published repository: reads are verified (index schema, manifest and
// descriptor sha256, blob sha256), missing things say what exists, and HTTP is refused clearly for now.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openRepository } from '../../src/io/repository.js';
import { blobPath } from '../../src/io/blobs.js';
import { publish } from '../../src/io/publish.js';
import { digestOf, sha256Hex } from '../../src/core/canonical.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

async function published(): Promise<{ repo: string; sha: string }> {
  const tree = tmpDir('repo-tree');
  mkdirSync(join(tree, 'lib'));
  writeFileSync(join(tree, 'lib/a.jar'), 'jar A');
  writeFileSync(join(tree, 'README'), 'hello');
  const repo = join(tmpDir('repo'), 'r');
  await publish({ repo, product: 'wso2am-4.2.0', level: 0, tree, date: '2024-01-02', notes: { title: 'GA' } });
  writeFileSync(join(tree, 'lib/a.jar'), 'jar A2');
  await publish({ repo, product: 'wso2am-4.2.0', level: 2, tree, date: '2024-02-02' });
  return { repo, sha: sha256Hex('jar A2') };
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
  const { repo, sha } = await published();
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
  assert.is((await r.readBlob(sha)).toString(), 'jar A2');
  for (const copy of [r.copyBlob, r.stageBlob]) {
    const dest = join(tmpDir('repo-copy'), 'a.jar');
    await copy?.call(r, sha, dest);
    assert.is(sha256Hex(await import('node:fs').then((fs) => fs.readFileSync(dest))), sha);
  }
});

test('missing repository, product and level: not-found naming what exists', async () => {
  const { repo } = await published();
  await rejects(openRepository(join(repo, 'nope')), 'not-found', /does not exist/);
  await rejects(openRepository(tmpDir('empty-repo')), 'not-found', /index is missing/);
  const r = await openRepository(repo);
  await rejects(r.levels('wso2is-7.1.0'), 'not-found', /no product wso2is-7\.1\.0[\s\S]*Products in it: wso2am-4\.2\.0/);
  await rejects(r.manifest('wso2am-4.2.0', 1), 'not-found', /no level 1[\s\S]*Published levels: 0, 2/);
  await rejects(r.readBlob('0'.repeat(64)), 'not-found', /missing/);
  await rejects(r.stageBlob?.('0'.repeat(64), join(tmpDir('repo-copy'), 'x')) as Promise<void>, 'not-found', /missing/);
});

test('http(s) locations are a clear usage error for now', async () => {
  await rejects(openRepository('https://updates.example.com/repo'), 'usage', /not supported yet/);
});

test('tampering is a verification error (exit 7): manifest, descriptor, blob read, blob copy and staging copy', async () => {
  const { repo, sha } = await published();
  const r = await openRepository(repo);
  appendFileSync(join(repo, 'products/wso2am-4.2.0/levels/0002/manifest.json'), ' ');
  const e = await rejects(r.manifest('wso2am-4.2.0', 2), 'verification', /does not match the sha256 in the index/);
  assert.is(e.exitCode, 7);
  appendFileSync(join(repo, 'products/wso2am-4.2.0/levels/0000/descriptor.yaml'), '#');
  await rejects(r.descriptor('wso2am-4.2.0', 0), 'verification', /descriptor/);
  writeFileSync(blobPath(repo, sha), 'corrupted');
  await rejects(r.readBlob(sha), 'verification', /does not match its sha256/);
  const dest = join(tmpDir('repo-copy'), 'a.jar');
  await rejects(r.copyBlob(sha, dest), 'verification', /does not match its sha256/);
  assert.not.ok(existsSync(dest), 'a failed copy leaves nothing behind');
  await rejects(r.stageBlob?.(sha, dest) as Promise<void>, 'verification', /does not match its sha256/);
  assert.not.ok(existsSync(dest), 'a failed staging copy leaves nothing behind');
});

test('an invalid index is refused at open, naming file and position', async () => {
  const repo = tmpDir('bad-index');
  writeFileSync(join(repo, 'index.json'), '{"formatVersion": 2, "products": {}}');
  await rejects(openRepository(repo), 'invalid-input', /index\.json:1:19: formatVersion must be 1, got "2"/);
});

test.run();
