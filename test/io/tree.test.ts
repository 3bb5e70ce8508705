// Tree scanning and observation on real files: hashes, the two modes, symlinks by link text (never followed),
// runtime paths left out, sockets refused, parents that are symlinks or files seen as `other`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { observe, observeMany, scanTree, hashFile } from '../../src/io/tree.js';
import { sha256Hex } from '../../src/core/canonical.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

function put(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
}

test('scanTree: files with sha256, size and normalised mode; symlinks by text; runtime excluded; sorted', async () => {
  const root = tmpDir('tree-scan');
  put(root, {
    'bin/run.sh': '#!/bin/sh\n', 'lib/a.jar': 'AAA', 'lib/B.jar': 'B', 'conf/x.xml': '<x/>',
    'updates/product.txt': 'wso2am-4.2.0', 'repository/logs/carbon.log': 'log', 'tmp/t': 't', 'wso2carbon.pid': '1', 'repository/conf/a': 'a',
  });
  chmodSync(join(root, 'bin/run.sh'), 0o750);
  chmodSync(join(root, 'conf/x.xml'), 0o600);
  symlinkSync('run.sh', join(root, 'bin/run'));
  symlinkSync('/nonexistent/target', join(root, 'dangling'));
  const entries = await scanTree(root);
  assert.equal([...entries.keys()], ['bin/run', 'bin/run.sh', 'conf/x.xml', 'dangling', 'lib/B.jar', 'lib/a.jar', 'repository/conf/a']);
  assert.equal(entries.get('bin/run.sh'), { kind: 'file', sha256: sha256Hex('#!/bin/sh\n'), size: 10, mode: '0755' });
  assert.equal(entries.get('conf/x.xml'), { kind: 'file', sha256: sha256Hex('<x/>'), size: 4, mode: '0644' });
  assert.equal(entries.get('bin/run'), { kind: 'symlink', target: 'run.sh' });
  assert.equal(entries.get('dangling'), { kind: 'symlink', target: '/nonexistent/target' });
});

test('scanTree: custom excludes and skip predicate; concurrency 1 gives the same result', async () => {
  const root = tmpDir('tree-skip');
  put(root, { 'a/x': '1', 'a/y.log': '2', 'b/z': '3', 'updates/u': '4' });
  const all = await scanTree(root, { excludes: [], concurrency: 1 });
  assert.equal([...all.keys()], ['a/x', 'a/y.log', 'b/z', 'updates/u']);
  const some = await scanTree(root, { excludes: ['b/'], skip: (rel) => rel.endsWith('.log') });
  assert.equal([...some.keys()], ['a/x', 'updates/u']);
});

test('scanTree: a socket is an error naming the path', async () => {
  const root = tmpDir('tree-sock');
  put(root, { 'a/x': '1' });
  const server = createServer();
  await new Promise<void>((r) => server.listen(join(root, 'a', 'sock'), r));
  try {
    await scanTree(root);
    assert.unreachable('a socket must not be scanned');
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.match((err as Error).message, /a\/sock is neither a file, a folder nor a symlink/);
  } finally {
    server.close();
  }
});

test('observe: absent, dir, file, symlink; symlinked or file parents are `other`; hostile paths refused', async () => {
  const home = tmpDir('tree-observe');
  put(home, { 'lib/a.jar': 'A', 'conf/f': 'F', 'outside/secret': 'S' });
  symlinkSync('../outside', join(home, 'lib/link'));
  symlinkSync('a.jar', join(home, 'lib/to-a'));
  const cases: [string, unknown][] = [
    ['lib/a.jar', { kind: 'file', sha256: sha256Hex('A'), size: 1, mode: '0644' }],
    ['lib', { kind: 'dir' }],
    ['nope', { kind: 'absent' }],
    ['nope/deeper', { kind: 'absent' }],
    ['lib/to-a', { kind: 'symlink', target: 'a.jar' }],
    ['lib/link', { kind: 'symlink', target: '../outside' }],
    ['lib/link/secret', { kind: 'other' }],
    ['conf/f/x', { kind: 'other' }],
  ];
  for (const [rel, want] of cases) assert.equal(await observe(home, rel), want, rel);
  const many = await observeMany(home, cases.map(([r]) => r), 3);
  for (const [rel, want] of cases) assert.equal(many.get(rel), want, rel);
  for (const bad of ['../x', '/etc/passwd', 'a/./b']) {
    await observe(home, bad).then(() => assert.unreachable(bad), (err) => assert.is((err as UpdateError).code, 'hostile-path'));
  }
});

test('hashFile streams: a file larger than one read chunk', async () => {
  const dir = tmpDir('tree-hash');
  const big = Buffer.alloc(3 * 1024 * 1024 + 7, 'x');
  writeFileSync(join(dir, 'big'), big);
  assert.equal(await hashFile(join(dir, 'big')), { sha256: sha256Hex(big), size: big.length });
});

test.run();
