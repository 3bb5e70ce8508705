// selfupdate/swap.ts with real files: the swap keeps the old file as .previous and leaves the target complete at every
// pause point (POSIX: a hard link, then one rename over it), roll back restores it, the rename-aside way for a running Windows executable,
// stale downloads are cleared, and a read-only folder is refused before anything is written.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { UpdateError } from '../../src/core/errors.js';
import { join } from 'node:path';
import { assertWritableDir, clearStaleDownloads, dropPrevious, previousOf, rollBack, SWAP_POINTS, swapIn } from '../../src/selfupdate/swap.js';
import { tmpDir } from '../helpers/tmp.js';

function setup(): { dir: string; target: string; staged: string } {
  const dir = tmpDir('wso2update-swap-');
  const target = join(dir, 'wso2update_linux');
  writeFileSync(target, 'old');
  const staged = join(dir, '.wso2update_linux.abc.tmp');
  writeFileSync(staged, 'new');
  return { dir, target, staged };
}

for (const aside of [false, true]) {
  test(`${aside ? 'renamed aside (Windows, a running executable)' : 'POSIX'}: swapIn replaces the target, keeps .previous; roll back and dropPrevious`, async () => {
    const { target, staged } = setup();
    const seen: Record<string, [string | null, string | null]> = {};
    const read = (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : null);
    await swapIn(target, staged, { aside, pause: async (p) => { seen[p] = [read(target), read(previousOf(target))]; } });
    assert.is(read(target), 'new');
    assert.is(read(previousOf(target)), 'old');
    assert.not.ok(existsSync(staged));
    // POSIX never lets the target name go missing; Windows renames the old one aside first (README says so).
    assert.equal(seen, {
      staged: ['old', null],
      'kept-previous': [aside ? null : 'old', 'old'],
      swapped: ['new', 'old'],
    });
    assert.equal(Object.keys(seen), [...SWAP_POINTS]);
    await rollBack(target);
    assert.is(read(target), 'old');
    assert.not.ok(existsSync(previousOf(target)));
    assert.not.ok(await dropPrevious(target));
  });
}

test('a hard link that fails (a file system without them) falls back to a copy; a .previous that cannot go is one clear error, the target as it was', async () => {
  {
    const { target, staged } = setup();
    let links = 0;
    const noLinks = async () => { links += 1; throw Object.assign(new Error('EPERM: operation not permitted, link'), { code: 'EPERM' }); };
    await swapIn(target, staged, { link: noLinks });
    assert.is(links, 1);
    assert.equal([readFileSync(target, 'utf8'), readFileSync(previousOf(target), 'utf8')], ['new', 'old']);
  }
  {
    const { dir, target, staged } = setup();
    mkdirSync(previousOf(target));
    writeFileSync(join(previousOf(target), 'kept.txt'), 'an operator put a folder here');
    const err = await swapIn(target, staged).then(() => null, (e: unknown) => e);
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, 'io');
    assert.match((err as Error).message, `cannot keep ${target} as wso2update_linux.previous`);
    assert.match((err as UpdateError).hint ?? '', 'Nothing was changed');
    assert.is(readFileSync(target, 'utf8'), 'old');
    assert.is(readFileSync(join(previousOf(target), 'kept.txt'), 'utf8'), 'an operator put a folder here');
    assert.equal(readdirSync(dir).sort(), ['wso2update_linux', 'wso2update_linux.previous'], 'the spent download was left');
  }
});

test('a first install (no old file): rollBack removes it; a second swap replaces an old .previous', async () => {
  const dir = tmpDir('wso2update-swap-');
  const code = join(dir, 'wso2update.code');
  // code bundles (their header line): a .previous that is not ours is never replaced nor deleted (the next test)
  const v = (n: string) => `// wso2update-code version=0.0.${n} abi=1 sha256=x\n`;
  writeFileSync(join(dir, 'a'), v('1'));
  await swapIn(code, join(dir, 'a'));
  assert.not.ok(existsSync(previousOf(code)));
  writeFileSync(join(dir, 'b'), v('2'));
  await swapIn(code, join(dir, 'b'));
  writeFileSync(join(dir, 'c'), v('3'));
  await swapIn(code, join(dir, 'c'));
  assert.is(readFileSync(previousOf(code), 'utf8'), v('2'));
  assert.ok(await dropPrevious(code));
  assert.equal(readdirSync(dir), ['wso2update.code']);
  await rollBack(code);
  assert.equal(readdirSync(dir), []);
});

test('a .previous that is not ours (WSO2\'s own tool) is neither deleted by the cleanup nor replaced by a swap', async () => {
  const { dir, target, staged } = setup();
  writeFileSync(previousOf(target), 'WSO2 Update Tool');
  assert.not.ok(await dropPrevious(target));
  const err = await swapIn(target, staged).catch((e) => e);
  assert.match(err.message, 'is not a wso2update file');
  assert.equal(readdirSync(dir).sort(), ['wso2update_linux', 'wso2update_linux.previous']); // the spent download removed
  assert.is(readFileSync(previousOf(target), 'utf8'), 'WSO2 Update Tool');
  assert.is(readFileSync(target, 'utf8'), 'old');
});

test('clearStaleDownloads removes only this file\'s temporary downloads', async () => {
  const { dir, target, staged } = setup();
  writeFileSync(join(dir, '.other.abc.tmp'), 'x');
  await clearStaleDownloads(target);
  assert.not.ok(existsSync(staged));
  assert.equal(readdirSync(dir).sort(), ['.other.abc.tmp', 'wso2update_linux']);
});

test('assertWritableDir names the folder and the way out', async () => {
  const dir = tmpDir('wso2update-swap-');
  await assertWritableDir(dir, 'x');
  const missing = join(dir, 'missing');
  try {
    await assertWritableDir(missing, 'wso2update to 9.9.9');
    assert.unreachable('a missing folder is not writable');
  } catch (err) {
    assert.match((err as Error).message, new RegExp(`cannot update wso2update to 9\\.9\\.9: ${missing} is not writable \\(ENOENT\\)`));
    assert.match((err as { hint: string }).hint, /--no-self-update/);
  }
});

test.run();
