// io/pack-guard: every write lands inside the pack and never through a symlinked or non-folder parent, whatever a
// record or plan named; the tool's own folders are checked before a run's first write.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertInsidePack, assertOwnFolders, guardFs, OWN_FOLDERS } from '../../src/io/pack-guard.js';
import { realFs } from '../../src/io/fsops.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';
import { thrown, thrownSync } from '../helpers/thrown.js';
import type { FsOps } from '../../src/io/fsops.js';

const refusal = (fn: () => unknown): UpdateError => thrownSync(fn, 'hostile-path');

test('inside the pack, through real folders or folders not made yet: accepted', () => {
  const h = tmpDir();
  mkdirSync(join(h, 'lib'));
  for (const p of [h, join(h, 'lib', 'a.jar'), join(h, 'new', 'deep', 'x'), join(h, 'lib', '..', 'bin', 'x')]) assertInsidePack(h, p);
});

test('outside the pack, by .. or an absolute path: refused naming both', () => {
  const h = tmpDir();
  // Raw strings too (join would normalize them): a path that is not plain takes the resolving way, never the quick one.
  const raw = [`${h}/lib/../../y`, `${h}//..//x`, `${h}/./../x`, `${h}/x/../..`, `${h}/lib/../..`, `${h}/..`, `${h}x/y`, `${h}/a/..//../b`];
  for (const p of [join(h, '..'), join(h, '..', 'x'), '/etc/passwd', join(h, 'lib', '..', '..', 'y'), `${h}-sibling/x`, ...raw]) {
    const e = refusal(() => assertInsidePack(h, p));
    assert.match(e.message, 'is outside the pack');
  }
});

test('a symlinked or non-folder parent on the way is refused with its pack-relative name', () => {
  const h = tmpDir();
  const outside = tmpDir();
  mkdirSync(join(h, 'repository'));
  symlinkSync(outside, join(h, 'repository', 'conf'));
  writeFileSync(join(h, 'file'), 'x');
  assert.is(refusal(() => assertInsidePack(h, join(h, 'repository', 'conf', 'a.xml'))).message,
    '"repository/conf" in the pack is a symlink; wso2update never writes through it');
  assert.match(refusal(() => assertInsidePack(h, join(h, 'file', 'x'))).message, '"file" in the pack is not a folder');
  for (const p of [`${h}/repository/conf/./a.xml`, `${h}/repository//conf/a.xml`, `${h}/lib/../repository/conf/a.xml`, `${h}/repository/conf/x/../a.xml`]) {
    assert.match(refusal(() => assertInsidePack(h, p)).message, '"repository/conf" in the pack is a symlink', p);
  }
  // The link itself as the last segment is the caller's business (rename over it replaces the link, not its target).
  assertInsidePack(h, join(h, 'repository', 'conf'));
});

test('assertOwnFolders: absent is fine; a symlinked or file own folder is refused, with the hint', () => {
  const h = tmpDir();
  assertOwnFolders(h);
  assert.ok(OWN_FOLDERS.includes('updates/logs'));
  mkdirSync(join(h, 'updates', 'wso2update'), { recursive: true });
  symlinkSync(tmpDir(), join(h, 'updates', 'wso2update', 'staging'));
  const e = refusal(() => assertOwnFolders(h));
  assert.match(e.message, '"updates/wso2update/staging" in the pack is a symlink');
  assert.equal(e.paths, ['updates/wso2update/staging']);
  assert.match(e.hint ?? '', 'nothing was changed');
  const k = tmpDir();
  writeFileSync(join(k, 'updates'), 'x');
  assert.match(refusal(() => assertOwnFolders(k, ['updates'])).message, 'is not a folder');
});

test('guardFs: every path argument of every operation checked before the call; wrapping twice is a no-op', async () => {
  const h = tmpDir();
  const outside = tmpDir();
  const ops = guardFs(h, realFs);
  assert.is(guardFs(h, ops), ops);
  assert.is.not(guardFs(tmpDir(), ops), ops);
  await ops.writeFile(join(h, 'a'), 'x', 0o644);
  await ops.rename(join(h, 'a'), join(h, 'b'));
  const attempts: [string, () => Promise<unknown>][] = [
    ['writeFile', () => ops.writeFile(join(outside, 'x'), 'x', 0o644)],
    ['rename to', () => ops.rename(join(h, 'b'), join(outside, 'b'))],
    ['rename from', () => ops.rename(join(outside, 'b'), join(h, 'c'))],
    ['copyFile', () => ops.copyFile(join(h, 'b'), join(outside, 'c'))],
    ['link', () => ops.link(join(h, 'b'), join(outside, 'd'))],
    ['unlink', () => ops.unlink(join(outside, 'x'))],
    ['rmTree', () => ops.rmTree(outside)],
    ['mkdir', () => ops.mkdir(join(outside, 'm'))],
    ['symlink at', () => ops.symlink('target', join(outside, 'l'))],
  ];
  for (const [, call] of attempts) await thrown(call, 'hostile-path');
  // The link text is not a path in the pack: a relative target inside is the manifest rules' business.
  await ops.symlink('../x', join(h, 'l'));
  assert.equal(readdirSync(outside), []);
  assert.ok(existsSync(join(h, 'b')));
});

test('guardFs: a folder it saw as real is looked at again once any of its operations could have removed it', async () => {
  // The guard remembers real folders between operations; every way its own operations can take a folder away and
  // let a symlink take the name (rmTree, rmdir, a rename or unlink of a folder) must make it look again.
  const removals: [string, (ops: FsOps, d: string) => Promise<unknown>][] = [
    ['rmTree', (ops, d) => ops.rmTree(d)],
    ['rmdir', async (ops, d) => { await ops.unlink(join(d, 'a')); await ops.rmdir(d); }],
    ['rename away', (ops, d) => ops.rename(d, `${d}-moved`)],
  ];
  for (const [how, remove] of removals) {
    const h = tmpDir();
    const outside = tmpDir();
    const ops = guardFs(h, realFs);
    const d = join(h, 'repository');
    await ops.mkdir(d);
    await ops.writeFile(join(d, 'a'), 'x', 0o644); // the guard has now seen `repository` as a real folder
    await ops.writeFile(join(h, 'f'), 'x', 0o644);
    await remove(ops, d);
    await ops.symlink(outside, d);
    await thrown(() => ops.writeFile(join(d, 'b'), 'x', 0o644), 'hostile-path');
    await thrown(() => ops.rename(join(h, 'f'), join(d, 'f')), 'hostile-path');
    assert.equal(readdirSync(outside), [], how);
  }
});

test('guardFs: renaming a folder it knows forgets every folder, whatever name reaches it (case folding, short names)', async () => {
  const h = tmpDir();
  const outside = tmpDir();
  const ops = guardFs(h, realFs);
  await ops.mkdir(join(h, 'lib'));
  await ops.writeFile(join(h, 'lib', 'a'), 'x', 0o644);
  // On a case-insensitive file system `LIB` and `lib` are one folder: the guard forgets all, not the name it saw.
  await ops.rename(join(h, 'lib'), join(h, 'LIB'));
  await ops.symlink(outside, join(h, 'lib'));
  await thrown(() => ops.writeFile(join(h, 'lib', 'b'), 'x', 0o644), 'hostile-path');
  assert.equal(readdirSync(outside), []);
});

test.run();
