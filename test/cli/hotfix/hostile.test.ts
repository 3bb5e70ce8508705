// Issue 19, item 15: hotfixes obey exactly the rules levels obey. A hotfix that turns a shipped folder into a symlink
// (or ships a file below a shipped file) is refused by publish-hotfix, and, signed anyway by a careless publisher,
// by apply-hotfix before anything is written: the overlay of hotfix on level goes through the manifest rules
// (core/hotfix.ts overlay -> core/manifest-rules.ts), so no waiting conflict with a `.new` symlink is ever made.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { canonicalJson, sha256Hex } from '../../../src/core/canonical.js';
import { hotfixRel } from '../../../src/core/layout.js';
import { LEVEL0, LEVEL1, PRODUCT, snapshot, snapshotDiff, writeTree, type TreeSpec } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

const root = tmpDir('wso2update-hostile-hotfix-');
const repo = join(root, 'repo');
const keys = join(root, 'keys');
const ID = 'WSO2-HF-2026-0666';
const ok = async (args: string[], code = 0) => {
  const r = await runCli(args);
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  return r;
};

async function publishLevel(level: number, spec: TreeSpec): Promise<void> {
  const tree = join(root, `tree-${level}`);
  writeTree(tree, spec);
  writeFileSync(join(root, `notes-${level}.yaml`), stringify({ title: `Level ${level}`, date: `2026-01-0${level + 1}` }));
  await ok(['publish', '--repo', repo, '--product', PRODUCT, '--level', String(level), '--tree', tree, '--notes', join(root, `notes-${level}.yaml`), '--keys', keys]);
}

// Level 0 ships repository/components/old/plugin.jar: the folder becomes a symlink to lib/ (inside the pack).
const FOLDER = 'repository/components/old';

test('publish-hotfix refuses a hotfix that would make a shipped folder a symlink (with the level it goes on)', async () => {
  await ok(['keygen', '--keys', keys]);
  await publishLevel(0, LEVEL0);
  const tree = join(root, 'fix');
  writeTree(tree, { [FOLDER]: { link: '../../lib' } });
  const before = snapshot(repo, () => false);
  const r = await ok(['publish-hotfix', '--repo', repo, '--keys', keys, '--product', PRODUCT, '--level', '0', '--id', ID, '--tree', tree,
    '--title', 'a folder made a link', '--date', '2026-02-01'], 1);
  assert.match(r.stderr, new RegExp(`hotfix ${ID} over level 0 of ${PRODUCT}: "${FOLDER}/plugin.jar" is inside "${FOLDER}", which the manifest ships as a symlink`));
  assert.not.match(r.stderr, 'This is a bug');
  assert.equal(snapshotDiff(before, snapshot(repo, () => false)), [], 'the repository changed');
});

test('the same hotfix signed anyway: apply-hotfix refuses it before anything is written (no .new symlink, no waiting journal)', async () => {
  // A publisher with the keys but not this version's check: the record goes into the index, and the next publish signs it.
  const record = {
    formatVersion: 1, id: ID, product: PRODUCT, level: 0, date: '2026-02-01', title: 'a folder made a link', description: '',
    files: { [FOLDER]: { kind: 'symlink', target: '../../lib' } }, removes: [],
  };
  const text = canonicalJson(record);
  mkdirSync(join(repo, 'products', PRODUCT, 'hotfixes'), { recursive: true });
  writeFileSync(join(repo, hotfixRel(PRODUCT, ID)), text);
  const index = JSON.parse(readFileSync(join(repo, 'index.json'), 'utf8'));
  index.products[PRODUCT].hotfixes = { [ID]: { level: 0, record: sha256Hex(text) } };
  writeFileSync(join(repo, 'index.json'), JSON.stringify(index, null, 2));
  await publishLevel(1, LEVEL1);

  const home = join(root, 'home');
  cpSync(join(root, 'tree-0'), home, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(home, 'updates'), { recursive: true });
  writeFileSync(join(home, 'updates', 'product.txt'), `${PRODUCT}\n`);
  await ok(['init', '--home', home, '--repo', repo, '--trust-root', join(repo, 'metadata', '1.root.json')]);
  const outside = tmpDir();
  writeFileSync(join(outside, 'precious.txt'), 'not yours\n');
  // The trust folder is the trust layer's to advance (issue 17); the rest of the pack must not change.
  const keep = (rel: string) => rel.startsWith('updates/logs') || rel.startsWith('updates/wso2update/trust');
  const before = snapshot(home, keep);
  for (const args of [['apply-hotfix', ID, '--yes'], ['apply-hotfix', ID, '--out', join(root, 'hf.plan.json')]]) {
    const r = await ok([...args, '--home', home], 1);
    assert.match(r.stderr, new RegExp(`hotfix ${ID} over level 0 of ${PRODUCT}: "${FOLDER}/plugin.jar" is inside "${FOLDER}"`), args.join(' '));
    assert.not.match(r.stderr, 'This is a bug');
    assert.equal(snapshotDiff(before, snapshot(home, keep)), [], `${args[1]}: the pack changed`);
  }
  assert.equal(snapshotDiff(new Map([['precious.txt', snapshot(outside).get('precious.txt') as string]]), snapshot(outside)), []);
});

test.run();
