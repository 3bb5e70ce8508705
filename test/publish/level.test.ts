// publish on real trees: modes and symlinks recorded, only new blobs stored, changes against the previous level,
// levels must increase, identical republish is a no-op, different content refused, excludes and runtime paths.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { publish, type PublishRequest } from '../../src/publish/level.js';
import { openRepository } from '../../src/channel/open.js';
import { UpdateError } from '../../src/core/errors.js';
import { sha256Hex } from '../../src/core/canonical.js';
import { tmpDir } from '../helpers/tmp.js';

const P = 'wso2am-4.2.0';

function tree(files: Record<string, string>): string {
  const root = tmpDir('pub-tree');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

const req = (repo: string, t: string, level: number, more: Partial<PublishRequest> = {}): PublishRequest =>
  ({ repo, product: P, level, tree: t, date: '2024-05-01', ...more });

function blobCount(repo: string): number {
  const dir = join(repo, 'blobs/sha256');
  return existsSync(dir) ? readdirSync(dir).reduce((n, s) => n + readdirSync(join(dir, s)).length, 0) : 0;
}

async function refused(p: Promise<unknown>, re: RegExp): Promise<void> {
  try {
    await p;
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable('expected publish to be refused');
}

test('modes and symlinks are recorded; runtime paths never published; the repo folder is created', async () => {
  const t = tree({ 'bin/run.sh': 'run', 'lib/a.jar': 'A', 'updates/product.txt': P, 'repository/logs/x.log': 'l', 'repository/database/db': 'd', 'tmp/x': 't', 'wso2carbon.pid': '9' });
  chmodSync(join(t, 'bin/run.sh'), 0o755);
  symlinkSync('run.sh', join(t, 'bin/run'));
  const repo = join(tmpDir('pub-repo'), 'new', 'repo');
  const r = await publish(req(repo, t, 0, { notes: { title: 'GA', fixes: [{ id: 'F-1', title: 'fixed' }] } }));
  assert.equal({ files: r.files, added: r.added, stored: r.blobsStored, prev: r.previousLevel }, { files: 3, added: 3, stored: 2, prev: null });
  const { manifest } = await (await openRepository(repo)).manifest(P, 0);
  assert.equal(manifest.files['bin/run.sh'], { kind: 'file', sha256: sha256Hex('run'), size: 3, mode: '0755' });
  assert.equal(manifest.files['lib/a.jar'], { kind: 'file', sha256: sha256Hex('A'), size: 1, mode: '0644' });
  assert.equal(manifest.files['bin/run'], { kind: 'symlink', target: 'run.sh' });
  assert.equal(Object.keys(manifest.files), ['bin/run', 'bin/run.sh', 'lib/a.jar']);
});

test('only new blobs are stored; changes (mode included) are counted against the previous level', async () => {
  const t = tree({ 'a': 'same', 'b': 'same', 'c': 'old', 'd': 'gone', 'e': 'mode' });
  const repo = tmpDir('pub-repo');
  const first = await publish(req(repo, t, 0));
  assert.is(first.blobsStored, 4, 'identical contents share one blob');
  writeFileSync(join(t, 'c'), 'new');
  rmSync(join(t, 'd'));
  writeFileSync(join(t, 'f'), 'added');
  chmodSync(join(t, 'e'), 0o755);
  const second = await publish(req(repo, t, 5));
  assert.equal({ stored: second.blobsStored, existing: second.blobsExisting, prev: second.previousLevel }, { stored: 2, existing: 2, prev: 0 });
  assert.is(blobCount(repo), 6);
  const d = await (await openRepository(repo)).descriptor(P, 5);
  assert.equal(d.changes, { added: ['f'], modified: ['c', 'e'], removed: ['d'] });
});

test('levels must increase; identical republish is a no-op; other content at a published level is refused', async () => {
  const t = tree({ 'a': '1' });
  const repo = tmpDir('pub-repo');
  await publish(req(repo, t, 3));
  const index = readFileSync(join(repo, 'index.json'), 'utf8');
  await refused(publish(req(repo, t, 2)), /level 2 is below the latest published level 3/);
  const again = await publish(req(repo, t, 3, { date: '2030-01-01' }));
  assert.ok(again.unchanged);
  assert.match(again.warnings.join('\n'), /notes were kept/);
  assert.is(readFileSync(join(repo, 'index.json'), 'utf8'), index, 'a no-op leaves the index as it was');
  writeFileSync(join(t, 'a'), '2');
  await refused(publish(req(repo, t, 3)), /already published with other content/);
  assert.is(readFileSync(join(repo, 'index.json'), 'utf8'), index);
});

test('--exclude globs leave paths out (folders whole); bad product names and globs are usage errors', async () => {
  const t = tree({ 'lib/a.jar': 'a', 'lib/x.log': 'l', 'deep/er/y.log': 'l', 'docs/api/i.html': 'h', 'keep/docs': 'k' });
  const repo = tmpDir('pub-repo');
  await publish(req(repo, t, 0, { excludes: ['*.log', 'docs/**'] }));
  const { manifest } = await (await openRepository(repo)).manifest(P, 0);
  assert.equal(Object.keys(manifest.files), ['keep/docs', 'lib/a.jar']);
  await refused(publish(req(repo, t, 1, { product: 'wso2am' })), /--product must be <name>-<x\.y\.z>/);
  await refused(publish(req(repo, t, 1, { excludes: ['../x'] })), /not a relative glob/);
  await refused(publish(req(repo, t, 1.5)), /whole number/);
  await refused(publish(req(join(t, 'repo'), t, 1)), /inside the tree/);
});

test('a crash before the index is written leaves the repository as it was (index last)', async () => {
  const t = tree({ 'a': '1' });
  const repo = tmpDir('pub-repo');
  await publish(req(repo, t, 0));
  // A level folder without an index entry (what a crash mid-publish leaves) is invisible and harmless.
  mkdirSync(join(repo, `products/${P}/levels/0001`), { recursive: true });
  writeFileSync(join(repo, `products/${P}/levels/0001/manifest.json`), 'partial');
  assert.equal(await (await openRepository(repo)).levels(P), [0]);
  writeFileSync(join(t, 'a'), '2');
  const r = await publish(req(repo, t, 1));
  assert.is(r.modified, 1);
  assert.equal(await (await openRepository(repo)).levels(P), [0, 1]);
});

test.run();
