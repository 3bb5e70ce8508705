// io/out-folder: a folder a command writes into (`mirror --to`) is absent or a folder, checked before any download.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertOutFolder } from '../../src/io/out-folder.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

function refusal(dir: string): UpdateError {
  try {
    assertOutFolder(dir, '--to');
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, 'usage');
    return err as UpdateError;
  }
  throw new Error(`accepted ${dir}`);
}

test('a folder, a missing folder, a missing folder under missing folders: accepted', () => {
  const t = tmpDir();
  mkdirSync(join(t, 'there'));
  assertOutFolder(join(t, 'there'), '--to');
  assertOutFolder(join(t, 'new'), '--to');
  assertOutFolder(join(t, 'a', 'b', 'c'), '--to');
  symlinkSync(join(t, 'there'), join(t, 'link'));
  assertOutFolder(join(t, 'link'), '--to');
});

test('a file, a file on the way, a dangling symlink: one line naming it, and nothing written', () => {
  const t = tmpDir();
  writeFileSync(join(t, 'f'), 'x');
  assert.is(refusal(join(t, 'f')).message, `--to ${join(t, 'f')} is a file, not a folder`);
  const under = join(t, 'f', 'x', 'y');
  assert.is(refusal(under).message, `--to ${under} cannot be made: ${join(t, 'f')} is a file`);
  symlinkSync(join(t, 'nowhere'), join(t, 'dangling'));
  const e = refusal(join(t, 'dangling'));
  assert.is(e.message, `--to ${join(t, 'dangling')} is a symlink to nothing`);
  assert.match(e.hint ?? '', 'nothing was written');
});

test.run();
