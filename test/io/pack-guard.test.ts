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

const refusal = (fn: () => unknown): UpdateError => thrownSync(fn, 'hostile-path');

test('inside the pack, through real folders or folders not made yet: accepted', () => {
  const h = tmpDir();
  mkdirSync(join(h, 'lib'));
  for (const p of [h, join(h, 'lib', 'a.jar'), join(h, 'new', 'deep', 'x'), join(h, 'lib', '..', 'bin', 'x')]) assertInsidePack(h, p);
});

test('outside the pack, by .. or an absolute path: refused naming both', () => {
  const h = tmpDir();
  for (const p of [join(h, '..'), join(h, '..', 'x'), '/etc/passwd', join(h, 'lib', '..', '..', 'y'), `${h}-sibling/x`]) {
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

test.run();
