// channel/verify-bytes: size, then sha256, with one wording for every transport (exit 7).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkBytes, checkHash, checkSize, tooLarge } from '../../src/channel/verify-bytes.js';
import { UpdateError, exitCodeOf } from '../../src/core/errors.js';
import { thrownSync } from '../helpers/thrown.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function refused(fn: () => void): UpdateError {
  const e = thrownSync(fn, 'verification');
  assert.is(exitCodeOf(e), 7);
  assert.match(e.hint ?? '', 'damaged or was tampered with; nothing was changed');
  return e;
}

test('matching size and hash pass', () => {
  checkBytes('blob x', { size: 3, sha256: A }, { size: 3, sha256: A });
  checkSize('x', 0, 0);
  checkHash('x', A, A);
});

test('size is checked first: a wrong size is named as such even when the hash is wrong too', () => {
  assert.is(refused(() => checkBytes('blob x', { size: 3, sha256: A }, { size: 4, sha256: B })).message, 'blob x has 4 bytes, not the 3 its manifest names');
  assert.is(refused(() => checkBytes('blob x', { size: 3, sha256: A }, { size: 3, sha256: B })).message, `blob x does not match its sha256 (expected ${A}, got ${B})`);
  assert.is(refused(() => { throw tooLarge('index.json', 2_000_000, 1_048_576); }).message, 'index.json is larger than allowed (2000000 bytes, at most 1048576)');
});

test.run();
