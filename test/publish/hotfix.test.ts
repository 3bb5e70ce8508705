// publish/hotfix: `publish-hotfix` records a fix of one published level: only what differs from the level, blobs
// first, the record, the index last; a published hotfix never changes.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishHotfix, type HotfixRequest } from '../../src/publish/hotfix.js';
import { hotfixRel, INDEX_FILE } from '../../src/core/layout.js';
import { UpdateError } from '../../src/core/errors.js';
import { LEVEL1, makeFixture, PRODUCT, writeTree } from '../helpers/pack.js';
import { tmpDir } from '../helpers/tmp.js';
import { thrown } from '../helpers/thrown.js';

async function setup(tree: Record<string, string>) {
  const f = await makeFixture();
  const dir = tmpDir();
  writeTree(dir, tree);
  const req: HotfixRequest = { repo: f.repo, product: PRODUCT, level: 1, id: 'WSO2-HF-2026-0001', tree: dir, removes: [], title: 'Fix', description: 'd', date: '2026-12-07' };
  return { f, req };
}

const refusal = (req: HotfixRequest): Promise<UpdateError> => thrown(() => publishHotfix(req));

test('a patched pack: only what differs from the level goes in; the record, blobs and index written; again: unchanged', async () => {
  const { f, req } = await setup({ ...(LEVEL1 as Record<string, string>), 'lib/a.jar': 'jar-a-patched', 'lib/hf.jar': 'new' });
  const r = await publishHotfix({ ...req, removes: ['lib/b.jar'] });
  assert.equal([r.added, r.replaced, r.removed], [['lib/hf.jar'], ['lib/a.jar'], ['lib/b.jar']]);
  assert.is(r.blobsStored, 2);
  assert.is(r.unchangedInTree, Object.keys(LEVEL1).length - 1, 'every level file of the tree but the patched one');
  assert.ok(existsSync(join(f.repo, hotfixRel(PRODUCT, 'WSO2-HF-2026-0001'))));
  const index = JSON.parse(readFileSync(join(f.repo, INDEX_FILE), 'utf8'));
  assert.equal(index.products[PRODUCT].hotfixes['WSO2-HF-2026-0001'], { level: 1, record: r.record });
  const again = await publishHotfix({ ...req, removes: ['lib/b.jar'] });
  assert.ok(again.unchanged);
  assert.is(again.record, r.record);
});

test('the same id with other content is refused: a published hotfix never changes', async () => {
  const { req } = await setup({ 'lib/a.jar': 'one' });
  await publishHotfix(req);
  const other = tmpDir();
  writeTree(other, { 'lib/a.jar': 'two' });
  const e = await refusal({ ...req, tree: other });
  assert.match(e.message, 'hotfix WSO2-HF-2026-0001 is already published with other content (level 1)');
  assert.match(e.hint ?? '', 'under a new id');
});

test('usage refusals, nothing written: no such level, nothing changed, a path both shipped and removed, an unshipped removal, runtime data, a missing --files path', async () => {
  const { f, req } = await setup({ 'lib/a.jar': 'patched' });
  const before = readFileSync(join(f.repo, INDEX_FILE), 'utf8');
  const same = tmpDir();
  writeTree(same, { 'lib/a.jar': 'jar-a-v2' });
  const runtime = tmpDir();
  writeTree(runtime, { 'tmp/x': 'x' });
  const cases: [Partial<HotfixRequest>, RegExp][] = [
    [{ level: 9 }, /has no published level 9/],
    [{ tree: same }, /the hotfix changes nothing/],
    [{ removes: ['lib/a.jar'] }, /lib\/a.jar is both in the tree and in --remove/],
    [{ removes: ['lib/nope.jar'] }, /--remove lib\/nope.jar: level 1 does not ship that path/],
    [{ removes: ['../x'] }, /\.\./],
    [{ files: ['lib/none.jar'] }, /--files names lib\/none.jar, which is not a file or symlink in the tree/],
    [{ files: ['../../etc/passwd'] }, /\.\./],
    [{ id: '../evil' }, /--id/],
    [{ product: 'wso2am' }, /--product must be/],
  ];
  for (const [over, message] of cases) {
    const e = await refusal({ ...req, ...over });
    assert.match(e.message, message, JSON.stringify(over));
  }
  assert.match((await refusal({ ...req, tree: runtime })).message, /changes nothing|runtime data/);
  assert.is(readFileSync(join(f.repo, INDEX_FILE), 'utf8'), before);
  assert.not.ok(existsSync(join(f.repo, hotfixRel(PRODUCT, 'WSO2-HF-2026-0001'))));
});

test.run();
