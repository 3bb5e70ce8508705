// io/name-folding: whether a folder's file system stores two spellings as one name, asked with a probe file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync } from 'node:fs';
import { probeFolding } from '../../src/io/name-folding.js';
import { tmpDir } from '../helpers/tmp.js';

test('on this Linux file system neither case nor Unicode folds, and the probe leaves nothing behind', () => {
  const dir = tmpDir();
  assert.equal(probeFolding(dir), { case: false, unicode: false });
  assert.equal(readdirSync(dir), []);
});

test('a folder it cannot write in is an error, not a guess', () => {
  assert.throws(() => probeFolding('/nonexistent-folder-for-probe'), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
});

test.run();
