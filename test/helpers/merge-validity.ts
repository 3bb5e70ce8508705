// An independent check of one merge, written apart from the engine: the engine's regions are taken only as a claimed
// decomposition, and everything about them is verified here from the texts alone. The regions must cut base,
// ours and theirs into pieces that join back to exactly the three inputs; the checker classifies every piece
// itself; a clean merge must then be base with each side's changed pieces applied once (ours' pieces from ours,
// theirs' from theirs, identical ones once), and a conflicted merge must show, between its markers, exactly the
// pieces of the three inputs. Changed pieces must never touch (that would be looser than git), and the counts
// the engine reports must be the ones found here.
import type { MergeResult, RegionText } from '../../src/core/merge/merge.js';

type Piece = 'stable' | 'ours' | 'theirs' | 'same' | 'conflict';

function classify(r: RegionText): Piece {
  const oursChanged = r.ours !== r.base;
  const theirsChanged = r.theirs !== r.base;
  if (!oursChanged && !theirsChanged) return 'stable';
  if (!theirsChanged) return 'ours';
  if (!oursChanged) return 'theirs';
  return r.ours === r.theirs ? 'same' : 'conflict';
}

/** Reads `expected` at `at` in `text`, allowing one added line ending `eol` when `expected` lacks a final one. */
function section(text: string, at: number, expected: string, eol: string): number | null {
  if (!text.startsWith(expected, at)) return null;
  let end = at + expected.length;
  if (expected !== '' && !expected.endsWith('\n')) {
    if (!text.startsWith(eol, end)) return null;
    end += eol.length;
  }
  return end;
}

/** Reads one conflict block at `at`: markers with the labels, each section exactly the region's text. */
function block(text: string, at: number, r: RegionText, labels: { ours: string; base: string; theirs: string }): number | null {
  const open = `<<<<<<< ${labels.ours}`;
  if (!text.startsWith(open, at)) return null;
  const eol = text.startsWith('\r\n', at + open.length) ? '\r\n' : '\n';
  let i: number | null = at;
  for (const [marker, body] of [[open, r.ours], [`||||||| ${labels.base}`, r.base], ['=======', r.theirs]] as const) {
    if (i === null || !text.startsWith(marker + eol, i)) return null;
    i = section(text, i + marker.length + eol.length, body, eol);
  }
  const close = `>>>>>>> ${labels.theirs}${eol}`;
  return i !== null && text.startsWith(close, i) ? i + close.length : null;
}

/** Every way `result` fails to be a valid merge of the three texts (empty when it is one). */
export function mergeProblems(ours: string, base: string, theirs: string, result: MergeResult, regions: RegionText[],
  labels = { ours: 'ours', base: 'base', theirs: 'theirs' }): string[] {
  const problems: string[] = [];
  for (const side of ['base', 'ours', 'theirs'] as const) {
    const joined = regions.map((r) => r[side]).join('');
    if (joined !== { base, ours, theirs }[side]) problems.push(`the regions' ${side} pieces do not join back to ${side}`);
  }
  const kinds = regions.map(classify);
  kinds.forEach((k, i) => {
    if (k === 'stable' && regions[i].base === '') problems.push(`region ${i} is empty`);
    if (k !== 'stable' && i > 0 && kinds[i - 1] !== 'stable') problems.push(`changed regions ${i - 1} and ${i} touch: git would make them one`);
    if (regions[i].kind === 'ambiguous' && k !== 'conflict') problems.push(`region ${i} is called too ambiguous, but only one side changes it (${k})`);
  });
  const conflicts = kinds.filter((k) => k === 'conflict').length;
  const ambiguous = regions.filter((r) => r.kind === 'ambiguous').length;
  if (result.conflicts !== conflicts) problems.push(`reports ${result.conflicts} conflicts, the regions hold ${conflicts}`);
  if (result.clean !== (conflicts === 0)) problems.push(`reports clean=${result.clean} with ${conflicts} conflicting regions`);
  if (result.ambiguous !== ambiguous) problems.push(`reports ${result.ambiguous} too-ambiguous regions, the regions hold ${ambiguous}`);
  // The text, region by region: each side's change applied once, conflicts shown with exactly their pieces.
  let at = 0;
  for (let i = 0; i < regions.length; i++) {
    const r = regions[i];
    const k = kinds[i];
    const want = k === 'theirs' ? r.theirs : r.ours;
    const next = k === 'conflict' ? block(result.text, at, r, labels) : result.text.startsWith(want, at) ? at + want.length : null;
    if (next === null) {
      problems.push(k === 'conflict'
        ? `conflict region ${i} is not shown as markers around its ours, base and theirs pieces`
        : `region ${i} (${k}) is not in the merged text as ${k === 'theirs' ? 'theirs' : 'ours'} has it`);
      return problems;
    }
    at = next;
  }
  if (at !== result.text.length) problems.push('the merged text holds more than its regions');
  return problems;
}
