// "Did you mean": the edit distance (with swapped neighbours as one edit) and which candidates are close enough.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { closest, editDistance } from '../../src/core/closest.js';

test('edit distance: inserts, deletes, substitutions, and a swap of neighbours counts once', () => {
  const table: [string, string, number][] = [
    ['plan', 'plan', 0], ['pln', 'plan', 1], ['plna', 'plan', 1], ['paln', 'plan', 1], ['revret', 'revert', 1],
    ['', 'abc', 3], ['kitten', 'sitting', 3], ['--hme', '--home', 1], ['ca', 'abc', 3],
  ];
  for (const [a, b, d] of table) assert.is(editDistance(a, b), d, `${a} -> ${b}`);
});

test('closest: the nearest within a third of the word, ties all named, a clear prefix, nothing for a far word', () => {
  const commands = ['init', 'publish', 'plan', 'show', 'apply', 'revert', 'recover', 'status', 'check', 'version', 'help'];
  assert.equal(closest('pln', commands), ['plan']);
  assert.equal(closest('aply', commands), ['apply']);
  assert.equal(closest('staus', commands), ['status']);
  assert.equal(closest('recovr', commands), ['recover']);
  assert.equal(closest('xyzzy', commands), []);
  assert.equal(closest('plan', commands), [], 'the word itself is no suggestion');
  assert.equal(closest('--cont', ['--continue', '--yes', '--home']), ['--continue']);
  assert.equal(closest('--re', ['--repo', '--revert']), [], 'too short a prefix to choose');
  assert.equal(closest('--hme', ['--home', '--json']), ['--home']);
});

test.run();
