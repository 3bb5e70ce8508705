// Issue 19, item 16: `mirror --to` a path that cannot be the copy's folder (a file, a folder below a file, a dangling
// link) is one clear line and exit 1 before anything is read or written; the file stays as it was.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { LEVEL0, PRODUCT, snapshot, snapshotDiff, writeTree } from '../../helpers/pack.js';
import { runCli, tmpDir } from '../../helpers/tmp.js';

test('mirror --to a file, a path below a file or a dangling link: exit 1, named, nothing written; a folder works', async () => {
  const root = tmpDir();
  const repo = join(root, 'repo');
  writeTree(join(root, 'tree'), LEVEL0);
  writeFileSync(join(root, 'notes.yaml'), stringify({ title: 'GA', date: '2026-01-01' }));
  const pub = await runCli(['publish', '--repo', repo, '--product', PRODUCT, '--level', '0', '--tree', join(root, 'tree'), '--notes', join(root, 'notes.yaml')]);
  assert.is(pub.code, 0, pub.stderr);
  const out = join(root, 'out');
  mkdirSync(out);
  writeFileSync(join(out, 'file'), 'an operator\'s file\n');
  symlinkSync(join(root, 'nowhere'), join(out, 'dangling'));
  const cases: [string, RegExp][] = [
    [join(out, 'file'), /--to .*\/out\/file is a file, not a folder/],
    [join(out, 'file', 'below'), /--to .*\/file\/below cannot be made: .*\/out\/file is a file/],
    [join(out, 'dangling'), /--to .*\/out\/dangling is a symlink to nothing/],
  ];
  for (const [to, re] of cases) {
    const [before, repoBefore] = [snapshot(root, (r) => r.startsWith('repo')), snapshot(repo, () => false)];
    const r = await runCli(['mirror', '--from', repo, '--to', to, '--allow-unsigned']);
    assert.is(r.code, 1, `${to}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.not.match(r.stderr, /EEXIST|ENOTDIR|This is a bug/);
    assert.equal(snapshotDiff(before, snapshot(root, (x) => x.startsWith('repo'))), [], `${to}: something was written`);
    assert.equal(snapshotDiff(repoBefore, snapshot(repo, () => false)), []);
  }
  assert.is(readFileSync(join(out, 'file'), 'utf8'), 'an operator\'s file\n');
  const good = await runCli(['mirror', '--from', repo, '--to', join(out, 'copy', 'deep'), '--allow-unsigned']);
  assert.is(good.code, 0, good.stderr);
});

test.run();
