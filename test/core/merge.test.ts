// merge3 against git merge-file: hand-written edge cases with their expected text, then hundreds of generated
// config-file cases and repetitive stress cases, each compared byte for byte with git's own output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { merge3 } from '../../src/core/merge.js';
import { gitMergeFileBatch, type Triple } from '../helpers/git.js';
import { pathologicalCase, randomCase, Rng } from '../helpers/merge-cases.js';

interface Row extends Triple {
  name: string;
  clean: boolean;
  text: string;
}

const C = (ours: string, base: string, theirs: string) => `<<<<<<< ours\n${ours}||||||| base\n${base}=======\n${theirs}>>>>>>> theirs\n`;

const TABLE: Row[] = [
  { name: 'edits apart merge', base: 'a\nb\nc\nd\ne\n', ours: 'a\nB\nc\nd\ne\n', theirs: 'a\nb\nc\nD\ne\n', clean: true, text: 'a\nB\nc\nD\ne\n' },
  { name: 'adjacent edits conflict (git treats touching hunks as overlapping)', base: 'a\nb\nc\nd\n', ours: 'a\nB\nc\nd\n', theirs: 'a\nb\nC\nd\n', clean: false, text: `a\n${C('B\nc\n', 'b\nc\n', 'b\nC\n')}d\n` },
  { name: 'insertions at the same place conflict', base: 'a\nb\n', ours: 'a\nx\nb\n', theirs: 'a\ny\nb\n', clean: false, text: `a\n${C('x\n', '', 'y\n')}b\n` },
  { name: 'identical changes on both sides merge cleanly', base: 'a\nb\nc\n', ours: 'a\nX\nc\n', theirs: 'a\nX\nc\n', clean: true, text: 'a\nX\nc\n' },
  { name: 'delete against edit conflicts', base: 'a\nb\nc\n', ours: 'a\nc\n', theirs: 'a\nB\nc\n', clean: false, text: `a\n${C('', 'b\n', 'B\n')}c\n` },
  { name: 'conflict on the first line', base: 'k=1\nx\ny\n', ours: 'k=2\nx\ny\n', theirs: 'k=3\nx\ny\n', clean: false, text: `${C('k=2\n', 'k=1\n', 'k=3\n')}x\ny\n` },
  { name: 'conflict on a last line without newline: markers still end lines', base: 'a\nb\nend', ours: 'a\nb\nours', theirs: 'a\nb\ntheirs', clean: false, text: `a\nb\n${C('ours\n', 'end\n', 'theirs\n')}` },
  { name: 'one side adds the final newline, the other edits the top', base: 'a\nb\nc\nd\nz', ours: 'A\nb\nc\nd\nz', theirs: 'a\nb\nc\nd\nz\n', clean: true, text: 'A\nb\nc\nd\nz\n' },
  { name: 'one side drops the final newline, the other edits the last line: conflict', base: 'a\nb\nc\n', ours: 'a\nb\nc', theirs: 'a\nb\nC\n', clean: false, text: `a\nb\n${C('c\n', 'c\n', 'C\n')}` },
  { name: 'CRLF files merge and keep CRLF', base: 'a\r\nb\r\nc\r\nd\r\n', ours: 'A\r\nb\r\nc\r\nd\r\n', theirs: 'a\r\nb\r\nc\r\nD\r\n', clean: true, text: 'A\r\nb\r\nc\r\nD\r\n' },
  { name: 'CRLF conflict markers end in CRLF', base: 'a\r\nb\r\n', ours: 'a\r\nx\r\n', theirs: 'a\r\ny\r\n', clean: false, text: 'a\r\n<<<<<<< ours\r\nx\r\n||||||| base\r\nb\r\n=======\r\ny\r\n>>>>>>> theirs\r\n' },
  { name: 'mixed endings are kept line by line', base: 'a\r\nb\nc\r\nd\ne\r\n', ours: 'a\r\nB\nc\r\nd\ne\r\n', theirs: 'a\r\nb\nc\r\nd\nE\r\n', clean: true, text: 'a\r\nB\nc\r\nd\nE\r\n' },
  { name: 'empty base, both add the same content', base: '', ours: 'x\ny\n', theirs: 'x\ny\n', clean: true, text: 'x\ny\n' },
  { name: 'empty base, both add different content', base: '', ours: 'x\n', theirs: 'y\n', clean: false, text: C('x\n', '', 'y\n') },
  { name: 'all empty', base: '', ours: '', theirs: '', clean: true, text: '' },
  { name: 'ours unchanged: theirs verbatim', base: 'a\nb', ours: 'a\nb', theirs: 'a\r\nb\r\n', clean: true, text: 'a\r\nb\r\n' },
  { name: 'both append different blocks at the end', base: '[a]\nk = 1\n', ours: '[a]\nk = 1\n[b]\n', theirs: '[a]\nk = 1\n[c]\n', clean: false, text: `[a]\nk = 1\n${C('[b]\n', '', '[c]\n')}` },
  { name: 'a same edit next to different ones: only the difference conflicts', base: 'a\nb\nc\nd\ne\nf\n', ours: 'a\nB\nc\nD1\ne\nf\n', theirs: 'a\nB\nc\nD2\ne\nf\n', clean: false, text: `a\nB\nc\n${C('D1\n', 'd\n', 'D2\n')}e\nf\n` },
  { name: 'touching edits, one shared: one conflict with the whole extent', base: 'a\nb\nc\nd\n', ours: 'a\nB\nC1\nd\n', theirs: 'a\nB\nC2\nd\n', clean: false, text: `a\n${C('B\nC1\n', 'b\nc\n', 'B\nC2\n')}d\n` },
  { name: 'overlap whose sides end up identical is clean (git default level)', base: 'a\nb\nc\nd\ne\n', ours: 'a\nX\nc\nY\ne\n', theirs: 'a\nX\nc\nY\ne\n', clean: true, text: 'a\nX\nc\nY\ne\n' },
];

test('hand-written cases give the expected text, and git agrees', () => {
  const git = gitMergeFileBatch(TABLE);
  TABLE.forEach((row, i) => {
    const r = merge3(row.ours, row.base, row.theirs);
    assert.is(r.clean, row.clean, `${row.name}: clean`);
    assert.is(r.text, row.text, `${row.name}: text`);
    assert.is(r.conflicts > 0, !row.clean, `${row.name}: conflict count`);
    assert.is(git[i].status === 0, row.clean, `${row.name}: git's outcome`);
    assert.is(r.text, row.clean ? git[i].text : git[i].diff3, `${row.name}: git's text`);
  });
});

test('labels name the markers', () => {
  const r = merge3('x\n', 'b\n', 'y\n', { ours: 'installed', base: 'level 3', theirs: 'level 4' });
  assert.is(r.text, '<<<<<<< installed\nx\n||||||| level 3\nb\n=======\ny\n>>>>>>> level 4\n');
  assert.is(r.conflicts, 1);
});

function compareWithGit(cases: Triple[], what: string): { conflicts: number } {
  const git = gitMergeFileBatch(cases);
  let conflicts = 0;
  cases.forEach((c, i) => {
    const r = merge3(c.ours, c.base, c.theirs);
    const g = git[i];
    assert.is(r.clean, g.status === 0, `${what} ${i}: clean/conflict outcome differs from git (git exit ${g.status})`);
    if (r.clean) assert.ok(r.text === g.text, `${what} ${i}: clean text differs from git merge-file -p`);
    else {
      conflicts++;
      assert.ok(r.text === g.diff3, `${what} ${i}: conflict text differs from git merge-file --diff3`);
      assert.is(r.conflicts, (r.text.match(/^<<<<<<< /gm) ?? []).length);
    }
  });
  return { conflicts };
}

test('400 generated config-file cases match git merge-file byte for byte', () => {
  const cases = Array.from({ length: 400 }, (_, i) => randomCase(1, i));
  const { conflicts } = compareWithGit(cases, 'case');
  // The generator must exercise both outcomes, or the comparison proves little.
  assert.ok(conflicts > 40 && conflicts < 360, `conflicts: ${conflicts} of 400`);
});

test('repetitive inputs with many edits (xdiff heuristics, discarded lines) match git', () => {
  const rng = new Rng(42);
  const alphabet = ['a\n', 'b\n', '}\n', '\n', 'a\r\n'];
  const lines = (n: number, k: number) => Array.from({ length: n }, () => alphabet[rng.int(k)]);
  const mutate = (b: string[], edits: number, k: number) => {
    const o = [...b];
    for (let e = 0; e < edits; e++) {
      const at = rng.int(o.length + 1);
      const t = rng.int(4);
      if (t === 3) o.splice(at, 3 + rng.int(8), ...Array.from({ length: 3 + rng.int(8) }, () => (rng.chance(0.7) ? `u${rng.int(1e6)}\n` : alphabet[0])));
      else if (t === 0) o.splice(at, 1);
      else if (t === 1) o.splice(at, 0, ...lines(1 + rng.int(3), k));
      // Unique lines next to very frequent ones drive xdiff's discarding of multi-match lines.
      else o[at] = rng.chance(0.5) ? `u${rng.int(1e6)}\n` : alphabet[rng.int(k)];
    }
    return o;
  };
  const cases = Array.from({ length: 80 }, (_, i) => {
    const k = 2 + rng.int(4);
    const big = i % 8 === 0;
    const base = lines(big ? 2000 : 10 + rng.int(150), k);
    const edits = big ? 400 : rng.int(8);
    return { base: base.join(''), ours: mutate(base, edits, k).join(''), theirs: mutate(base, edits, k).join('') };
  });
  compareWithGit(cases, 'stress');
});

test('the pathological case (20,000 repeated lines, a few edits) matches git', () => {
  compareWithGit([pathologicalCase(20000)], 'pathological');
});

test.run();
