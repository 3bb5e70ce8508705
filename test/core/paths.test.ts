// pathProblem's one-regex fast path for ordinary paths must accept exactly what the full rules accept: checked
// against the rules written out independently here, on every short string over an alphabet of the risky characters.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { caseTwins, checkPathSet, keyTwins, parentOf, parentsOf, pathProblem } from '../../src/core/paths.js';
import { UpdateError } from '../../src/core/errors.js';

/**
 * DESIGN.md's rules: relative, normalized, `/`-separated, no `.`/`..`/empty segment, no NUL, backslash or drive;
 * and (issue 7) no name longer than the 255 bytes a file system stores.
 */
function acceptable(p: string): boolean {
  if (p.length === 0 || p.length > 4096 || /[\0\\]/.test(p) || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && Buffer.byteLength(seg) <= 255);
}

test('fast path and full rules agree on every string of up to 5 risky characters', () => {
  const alphabet = ['a', 'Z', '.', '/', '\\', '\0', ':', '-', ' ', '#', 'é'];
  let n = 0;
  const visit = (p: string) => {
    if (p.length > 0) {
      n += 1;
      assert.is(pathProblem(p) === null, acceptable(p), JSON.stringify(p));
    }
    if (p.length < 5) for (const c of alphabet) visit(p + c);
  };
  visit('');
  assert.ok(n > 170000, String(n));
  for (const p of ['a'.repeat(4096), 'a'.repeat(255), `x/${'a'.repeat(256)}`, 'é'.repeat(127), 'é'.repeat(128), `${'é'.repeat(85)}/b`, `${'a/'.repeat(2047)}a`, 'a'.repeat(4097), 'C:/x', 'c:', 'x/C:', '.hidden/a', 'a/.b/..c',
    // Around the long-name check (issue 22: a length scan, not a regex), in the first, a middle and the last segment:
    // 85 three-byte characters are 255 bytes (stored), 86 are 258 (refused); 86 two-byte ones are 172 (stored).
    `${'€'.repeat(85)}/b`, `${'€'.repeat(86)}/b`, `a/${'€'.repeat(85)}/b`, `a/${'€'.repeat(86)}/b`, `a/b/${'€'.repeat(85)}`, `a/b/${'€'.repeat(86)}`,
    `${'é'.repeat(86)}/${'é'.repeat(127)}`, `${'é'.repeat(86)}/${'é'.repeat(128)}`, `${'a'.repeat(86)}/${'a'.repeat(255)}`, `${'a'.repeat(86)}/${'a'.repeat(256)}`]) {
    assert.is(pathProblem(p) === null, acceptable(p), p.slice(0, 20));
  }
});

test('checkPathSet: duplicates are an error, case collisions come back (every spelling after the first)', () => {
  assert.equal(checkPathSet(['a/B', 'a/b', 'c', 'A/b'], 'f').caseCollisions, [['a/B', 'a/b'], ['a/B', 'A/b']]);
  for (const list of [['a', 'b', 'a'], ['a/B', 'a/b', 'a/b']]) {
    assert.throws(() => checkPathSet(list, 'f'), (e: unknown) => e instanceof UpdateError && /listed twice/.test(e.message));
  }
});

test('parentsOf and parentOf: every folder above a path, nearest last; the one folder above it', () => {
  assert.equal(parentsOf('a'), []);
  assert.equal(parentsOf('a/b'), ['a']);
  assert.equal(parentsOf('a/b/c.jar'), ['a', 'a/b']);
  assert.equal(parentsOf('repository/components/plugins/x.jar'), ['repository', 'repository/components', 'repository/components/plugins']);
  assert.is(parentOf('a'), null);
  assert.is(parentOf('a/b/c.jar'), 'a/b');
});

test('keyTwins (no map unless a twin is possible) gives exactly caseTwins\'s pairs, in order, on generated key sets', () => {
  // Spellings that fold alike by case, by normalization (NFC and NFD), by both; and plain ones.
  const words = ['readme', 'README', 'ReadMe', 'caf\u00e9', 'CAF\u00c9', 'cafe\u0301', 'Cafe\u0301', 'lib', 'LIB', 'x', 'y.jar', 'Y.jar', '7'];
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff);
  let withTwins = 0;
  for (let n = 0; n < 4000; n++) {
    const keys = [...new Set(Array.from({ length: 1 + (next() % 6) }, () => `${words[next() % words.length]}/${words[next() % words.length]}`))];
    const set = new Set(keys);
    const want = caseTwins(keys);
    assert.equal(keyTwins(keys, (p) => set.has(p)), want, keys.join(' | '));
    if (want.length > 0) withTwins += 1;
  }
  assert.ok(withTwins > 500 && withTwins < 3500, `${withTwins} of 4000 with twins: both outcomes covered`);
});

test.run();
