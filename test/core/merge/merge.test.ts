// merge3 against git merge-file and against the independent validity check (test/helpers/merge-validity.ts):
// hand-written edge cases with their expected text; hundreds of generated config-file cases, where the verdict
// and every clean text must be git's byte for byte; adversarial repetitive inputs, where the two engines may line
// up repeated lines differently (the agreement is printed as a figure) but every merge must still be valid; and
// the work budget, which turns what it cannot afford into a `too-ambiguous` conflict instead of a guess.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { MERGE_BUDGET } from '../../../src/core/merge/align.js';
import { intern, splitLines } from '../../../src/core/merge/lines.js';
import { merge3, mergeRegions, mergeRegionTexts, type MergeResult } from '../../../src/core/merge/merge.js';
import { gitMergeFileBatch, type Triple } from '../../helpers/git.js';
import { CATEGORIES, deploymentCase, pathologicalCase, realisticCase, Rng } from '../../helpers/merge-cases.js';
import { mergeProblems } from '../../helpers/merge-validity.js';

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

/** merge3, with the validity check asserted on the way. */
function checked(c: Triple, what: string, labels?: { ours: string; base: string; theirs: string }): MergeResult {
  const r = merge3(c.ours, c.base, c.theirs, labels);
  const problems = mergeProblems(c.ours, c.base, c.theirs, r, mergeRegionTexts(c.ours, c.base, c.theirs), labels);
  assert.equal(problems, [], `${what}: not a valid merge`);
  return r;
}

test('hand-written cases give the expected text, and git agrees', () => {
  const git = gitMergeFileBatch(TABLE);
  TABLE.forEach((row, i) => {
    const r = checked(row, row.name);
    assert.is(r.clean, row.clean, `${row.name}: clean`);
    assert.is(r.text, row.text, `${row.name}: text`);
    assert.is(r.conflicts > 0, !row.clean, `${row.name}: conflict count`);
    assert.is(git[i].status === 0, row.clean, `${row.name}: git's outcome`);
    assert.is(r.text, row.clean ? git[i].text : git[i].diff3, `${row.name}: git's text`);
  });
});

test('labels name the markers', () => {
  const labels = { ours: 'installed', base: 'level 3', theirs: 'level 4' };
  const r = checked({ ours: 'x\n', base: 'b\n', theirs: 'y\n' }, 'labels', labels);
  assert.is(r.text, '<<<<<<< installed\nx\n||||||| level 3\nb\n=======\ny\n>>>>>>> level 4\n');
  assert.is(r.conflicts, 1);
});

test('lines that name Object.prototype members merge like any other line', () => {
  const base = 'constructor\n__proto__\ntoString\nhasOwnProperty\nvalueOf';
  const r = checked({ ours: base.replace('toString', 'x'), base, theirs: base.replace('valueOf', 'constructor') }, 'prototype names');
  assert.equal([r.clean, r.text], [true, 'constructor\n__proto__\nx\nhasOwnProperty\nconstructor']);
});

interface Tally {
  cases: number;
  conflicts: number;
  verdictsAgree: number;
  cleanTextsAgree: number;
  conflictTextsAgree: number;
  ambiguous: number;
}

/** Merges every case, checks each for validity, and counts how often git's verdict and text are the same. */
function againstGit(cases: Triple[], what: string): { tally: Tally; disagree: string[] } {
  const git = gitMergeFileBatch(cases);
  const tally: Tally = { cases: cases.length, conflicts: 0, verdictsAgree: 0, cleanTextsAgree: 0, conflictTextsAgree: 0, ambiguous: 0 };
  const disagree: string[] = [];
  cases.forEach((c, i) => {
    const r = checked(c, `${what} ${i}`);
    const g = git[i];
    if (!r.clean) tally.conflicts++;
    if (r.ambiguous) tally.ambiguous++;
    if (r.clean !== (g.status === 0)) disagree.push(`${what} ${i}: clean=${r.clean}, git exit ${g.status}`);
    else if (r.clean && r.text !== g.text) disagree.push(`${what} ${i}: clean text differs from git merge-file -p`);
    else {
      tally.verdictsAgree++;
      if (r.clean) tally.cleanTextsAgree++;
      else if (r.text === g.diff3) tally.conflictTextsAgree++;
    }
  });
  return { tally, disagree };
}

test('480 generated config-file cases: the same verdict as git merge-file on every one, clean texts byte for byte', () => {
  const cases = Array.from({ length: 480 }, (_, i) => realisticCase(1, i));
  for (const c of CATEGORIES) assert.is(cases.filter((x) => x.category === c).length, 60, c);
  const { tally, disagree } = againstGit(cases, 'case');
  assert.equal(disagree, []);
  // Both outcomes must be well exercised, or agreeing proves little; nothing realistic is too ambiguous.
  assert.ok(tally.conflicts > 80 && tally.conflicts < 400, `conflicts: ${tally.conflicts} of 480`);
  assert.is(tally.ambiguous, 0);
  const clean = tally.cases - tally.conflicts;
  console.log(`  realistic: ${tally.verdictsAgree}/${tally.cases} verdicts and ${tally.cleanTextsAgree}/${clean} clean texts as git; ` +
    `conflict texts identical to git's --diff3 output in ${tally.conflictTextsAgree}/${tally.conflicts}`);
});

test('3,000-line deployment.toml files with dozens of edits on each side: git\'s verdict and text', () => {
  const cases = Array.from({ length: 6 }, (_, i) => deploymentCase(i, 3000, 30));
  const { tally, disagree } = againstGit(cases, 'deployment');
  assert.equal(disagree, []);
  assert.is(tally.ambiguous, 0);
});

/** Files of 2 to 5 distinct short lines (repeated braces, blank lines, `a`), edited at random: git's worst case. */
function adversarialCases(seed: number, count: number): Triple[] {
  const rng = new Rng(seed);
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
      else o[at] = rng.chance(0.5) ? `u${rng.int(1e6)}\n` : alphabet[rng.int(k)];
    }
    return o;
  };
  return Array.from({ length: count }, (_, i) => {
    const k = 2 + rng.int(4);
    const big = i % 8 === 0;
    const base = lines(big ? 2000 : 10 + rng.int(150), k);
    const edits = big ? 400 : rng.int(8);
    return { base: base.join(''), ours: mutate(base, edits, k).join(''), theirs: mutate(base, edits, k).join('') };
  });
}

test('adversarial repetitive inputs: every merge valid; agreement with git reported as a figure', () => {
  const cases = [...adversarialCases(42, 80), ...adversarialCases(99, 80), ...adversarialCases(7, 80)];
  const { tally, disagree } = againstGit(cases, 'adversarial');
  console.log(`  adversarial: ${tally.verdictsAgree}/${tally.cases} verdicts as git (${tally.ambiguous} too-ambiguous conflicts), ` +
    `${tally.cleanTextsAgree} clean texts byte-identical; differing: ${disagree.length ? disagree.join('; ') : 'none'}`);
  // Not a promise of equality (repeated lines can be lined up in several valid ways), but a floor against regressions.
  assert.ok(tally.verdictsAgree >= 0.95 * tally.cases, `only ${tally.verdictsAgree} of ${tally.cases} verdicts agree`);
  assert.ok(tally.ambiguous > 0, 'the large repetitive cases should exceed the budget');
});

test('the pathological case (20,000 repeated lines, a few edits): a too-ambiguous conflict, never a guess', () => {
  const c = pathologicalCase(20000);
  const r = checked(c, 'pathological');
  assert.equal([r.clean, r.conflicts, r.ambiguous], [false, 1, 1]);
});

test('the budget: what it cannot afford is too-ambiguous; with enough, the same merge is clean and git\'s', () => {
  const base = Array.from({ length: 60 }, (_, i) => (i % 3 === 2 ? '}\n' : i % 3 ? '\n' : 'a\n'));
  const ours = [...base];
  ours[10] = 'ours\n';
  ours[50] = 'ours again\n';
  const theirs = [...base];
  theirs.splice(30, 1);
  const c = { base: base.join(''), ours: ours.join(''), theirs: theirs.join('') };
  const { ids, distinct } = intern([splitLines(c.base), splitLines(c.ours), splitLines(c.theirs)]);
  assert.equal(mergeRegions(ids[0], ids[1], ids[2], distinct, 100).map((r) => r.kind).filter((k) => k !== 'stable'), ['ambiguous']);
  const kinds = mergeRegions(ids[0], ids[1], ids[2], distinct, MERGE_BUDGET).map((r) => r.kind).filter((k) => k !== 'stable');
  assert.equal(kinds, ['ours', 'theirs', 'ours']);
  const r = checked(c, 'budget');
  assert.equal(r.text, gitMergeFileBatch([c])[0].text);
});

test.run();
