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

const twinsOf = (paths: string[]) => { const keys = new Set(paths); return keyTwins(paths, (p) => keys.has(p)); };

test('keyTwins: the same pairs in the same order as checkPathSet, over 3,000 random sets of hostile spellings', () => {
  // Upper case, the Kelvin sign (folds to an ASCII k), NFC and NFD forms of é, ß and its capital, a dotted capital I,
  // an astral letter: each can make a twin that only folding shows, with a plain path or with another foldable one.
  const atoms = ['a', 'A', 'b', 'B', 'k', 'K', '\u212a', '\u00e9', 'e\u0301', '\u00c9', 'E\u0301', '\u00df', '\u1e9e', '\u0130', 'i', '\ud801\udc00', '\ud801\udc28', 'x.jar'];
  let seed = 7;
  const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const word = () => Array.from({ length: 1 + rnd(2) }, () => atoms[rnd(atoms.length)]).join('');
  let pairs = 0;
  for (let round = 0; round < 3000; round++) {
    const paths = [...new Set(Array.from({ length: 1 + rnd(12) }, () => Array.from({ length: 1 + rnd(2) }, word).join('/')))];
    const want = checkPathSet(paths, 'f').caseCollisions;
    assert.equal(twinsOf(paths), want, JSON.stringify(paths));
    pairs += want.length;
  }
  assert.ok(pairs > 500, `only ${pairs} twin pairs were generated`);
  assert.equal(twinsOf(['lib/a.jar', 'bin/x.sh']), []);
  assert.equal(twinsOf(['a/B', 'a/b', 'c', 'A/b']), [['a/B', 'a/b'], ['a/B', 'A/b']]);
  assert.equal(twinsOf(['lib/k.jar', 'lib/\u212a.jar']), [['lib/k.jar', 'lib/\u212a.jar']]);
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
