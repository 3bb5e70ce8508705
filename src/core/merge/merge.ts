// Three-way text merge with the rules of `git merge-file`, on node-diff3: a clean merge is base with ours' and
// theirs' changes each applied once; changes by both sides to the same or touching base lines conflict unless
// they are identical; conflicts are shown diff3-style. Lines keep their own endings (LF, CRLF, none at the end).
// merge-split.ts cuts the work into spans, merge-align.ts diffs them within a budget; a span the budget cannot
// afford becomes a conflict of its own (`ambiguous`) rather than a guess.
import { alignStretch, MERGE_BUDGET, type Hunk, type Work } from './align.js';
import { Counts, intern, splitLines, type Ids } from './lines.js';
import { splitSpans, type Span } from './split.js';

export { splitLines } from './lines.js';

export interface MergeResult {
  /** True when nothing conflicts (git merge-file would exit 0). */
  clean: boolean;
  /** The merged text; when not clean, with diff3-style conflict markers. */
  text: string;
  /** Conflict blocks in `text` (0 when clean). */
  conflicts: number;
  /** How many of those blocks are spans too large or too repetitive for the merge's work budget. */
  ambiguous: number;
}

export interface MergeLabels {
  ours?: string;
  base?: string;
  theirs?: string;
}

export type RegionKind = 'stable' | 'ours' | 'theirs' | 'same' | 'conflict' | 'ambiguous';

/** Line ranges of base (o), ours (a) and theirs (b) that a merge treats as one piece. */
export interface Region extends Span {
  kind: RegionKind;
}

type Lines = readonly string[];

function sameLines(x: Ids, x0: number, x1: number, y: Ids, y0: number, y1: number): boolean {
  if (x1 - x0 !== y1 - y0) return false;
  for (let i = 0; i < x1 - x0; i++) if (x[x0 + i] !== y[y0 + i]) return false;
  return true;
}

/**
 * Joins the two sides' hunks into regions: hunks of different sides that overlap or touch (one ends where the
 * other starts, two insertions at one point) make one region, as in git. `start` lines up the stretch's first
 * lines in base, ours and theirs.
 */
function combine(x: Ids, y: Ids, ha: Hunk[], hb: Hunk[], start: { o: number; a: number; b: number }): Region[] {
  const out: Region[] = [];
  let da = start.a - start.o;
  let db = start.b - start.o;
  let i = 0;
  let j = 0;
  while (i < ha.length || j < hb.length) {
    const first = j >= hb.length || (i < ha.length && ha[i].o <= hb[j].o) ? ha[i] : hb[j];
    const o0 = first.o;
    let o1 = first.o + first.oLen;
    const r: Region = { kind: 'same', o0, o1, a0: o0 + da, a1: 0, b0: o0 + db, b1: 0 };
    let fromA = 0;
    let fromB = 0;
    for (;;) {
      if (i < ha.length && ha[i].o <= o1) {
        o1 = Math.max(o1, ha[i].o + ha[i].oLen);
        da += ha[i].sLen - ha[i].oLen;
        i++;
        fromA++;
      } else if (j < hb.length && hb[j].o <= o1) {
        o1 = Math.max(o1, hb[j].o + hb[j].oLen);
        db += hb[j].sLen - hb[j].oLen;
        j++;
        fromB++;
      } else break;
    }
    Object.assign(r, { o1, a1: o1 + da, b1: o1 + db });
    if (!fromB) r.kind = 'ours';
    else if (!fromA) r.kind = 'theirs';
    else r.kind = sameLines(x, r.a0, r.a1, y, r.b0, r.b1) ? 'same' : 'conflict';
    out.push(r);
  }
  return out;
}

/**
 * Every piece of the merge in order, covering all three texts (as line ids); `stable` pieces are equal in all three.
 * `budget` is the node-diff3 work allowed (see merge-align.ts).
 */
export function mergeRegions(o: Ids, a: Ids, b: Ids, distinct: number, budget = MERGE_BUDGET): Region[] {
  const w: Work = { counts: new Counts(distinct), budget };
  const spans = splitSpans(o, a, b, w.counts);
  const out: Region[] = [];
  let at = { o: 0, a: 0, b: 0 };
  // Between the regions pushed, all three texts share their lines one to one.
  const stableTo = (o1: number, a1: number, b1: number): void => {
    if (o1 > at.o) out.push({ kind: 'stable', o0: at.o, o1, a0: at.a, a1, b0: at.b, b1 });
  };
  const push = (r: Region): void => {
    stableTo(r.o0, r.a0, r.b0);
    out.push(r);
    at = { o: r.o1, a: r.a1, b: r.b1 };
  };
  spans.forEach((s, n) => {
    const oursSame = sameLines(o, s.o0, s.o1, a, s.a0, s.a1);
    const theirsSame = sameLines(o, s.o0, s.o1, b, s.b0, s.b1);
    if (oursSame && theirsSame) return;
    if (oursSame || theirsSame || sameLines(a, s.a0, s.a1, b, s.b0, s.b1)) {
      push({ ...s, kind: theirsSame ? 'ours' : oursSame ? 'theirs' : 'same' });
      return;
    }
    // Runs of changes may slide into the lines all three share at the start or end, but never past an anchor.
    const top = n === 0 && s.o0 === s.a0 && s.o0 === s.b0;
    const end = n === spans.length - 1 && o.length - s.o1 === a.length - s.a1 && o.length - s.o1 === b.length - s.b1;
    const [lo, alo, blo] = top ? [0, 0, 0] : [s.o0, s.a0, s.b0];
    const [hi, ahi, bhi] = end ? [o.length, a.length, b.length] : [s.o1, s.a1, s.b1];
    const ha = alignStretch(o, a, { o0: lo, o1: hi, s0: alo, s1: ahi }, w);
    const hb = ha && alignStretch(o, b, { o0: lo, o1: hi, s0: blo, s1: bhi }, w);
    if (!ha || !hb) push({ ...s, kind: 'ambiguous' });
    else for (const r of combine(a, b, ha, hb, { o: lo, a: alo, b: blo })) push(r);
  });
  stableTo(o.length, a.length, b.length);
  return out;
}

const MARKER = 7;

/** The ending line `i` shows: its own, or for a last line without one the line before's; null when none tells. */
function endingAt(lines: Lines, i: number): 'crlf' | 'lf' | null {
  const own = (l: string) => (l.endsWith('\r\n') ? 'crlf' : 'lf');
  if (!lines.length) return null;
  if (lines[i].endsWith('\n')) return own(lines[i]);
  return i > 0 ? own(lines[i - 1]) : null;
}

/** Markers (and a newline added to a section's last line) are CRLF when base starts CRLF and neither side says LF. */
function markerEol(o: Lines, a: Lines, b: Lines, r: Region): string {
  const crlf = endingAt(a, r.a0 ? r.a0 - 1 : 0) !== 'lf' && endingAt(b, r.b0 ? r.b0 - 1 : 0) !== 'lf' && endingAt(o, 0) === 'crlf';
  return crlf ? '\r\n' : '\n';
}

function render(o: Lines, a: Lines, b: Lines, regions: Region[], labels: Required<MergeLabels>): string {
  const parts: string[] = [];
  const copy = (x: Lines, from: number, to: number) => { for (let i = from; i < to; i++) parts.push(x[i]); };
  for (const r of regions) {
    if (r.kind === 'theirs') copy(b, r.b0, r.b1);
    else if (r.kind !== 'conflict' && r.kind !== 'ambiguous') copy(a, r.a0, r.a1);
    else {
      const eol = markerEol(o, a, b, r);
      // A section's last line gets an ending, so that the marker after it starts a line.
      const section = (x: Lines, from: number, to: number) => {
        copy(x, from, to);
        if (to > from && !x[to - 1].endsWith('\n')) parts.push(eol);
      };
      parts.push(`${'<'.repeat(MARKER)} ${labels.ours}${eol}`);
      section(a, r.a0, r.a1);
      parts.push(`${'|'.repeat(MARKER)} ${labels.base}${eol}`);
      section(o, r.o0, r.o1);
      parts.push(`${'='.repeat(MARKER)}${eol}`);
      section(b, r.b0, r.b1);
      parts.push(`${'>'.repeat(MARKER)} ${labels.theirs}${eol}`);
    }
  }
  return parts.join('');
}

/** One region as text: what base, ours and theirs hold there. */
export interface RegionText {
  kind: RegionKind;
  base: string;
  ours: string;
  theirs: string;
}

/** The regions merge3 renders, as texts: for reviewing or checking a merge piece by piece. */
export function mergeRegionTexts(ours: string, base: string, theirs: string): RegionText[] {
  const [o, a, b] = [splitLines(base), splitLines(ours), splitLines(theirs)];
  const { ids, distinct } = intern([o, a, b]);
  const text = (x: Lines, from: number, to: number) => x.slice(from, to).join('');
  return mergeRegions(ids[0], ids[1], ids[2], distinct).map((r) => ({
    kind: r.kind, base: text(o, r.o0, r.o1), ours: text(a, r.a0, r.a1), theirs: text(b, r.b0, r.b1),
  }));
}

/**
 * Merges `theirs`' changes (base -> theirs) into `ours` (base -> ours). Line endings and a missing final newline
 * are kept as they are in each side; nothing is normalized.
 */
export function merge3(ours: string, base: string, theirs: string, labels: MergeLabels = {}): MergeResult {
  // One side unchanged, or both changed alike: the other side is the merge, verbatim.
  if (ours === base || ours === theirs) return { clean: true, text: theirs, conflicts: 0, ambiguous: 0 };
  if (theirs === base) return { clean: true, text: ours, conflicts: 0, ambiguous: 0 };
  const [o, a, b] = [splitLines(base), splitLines(ours), splitLines(theirs)];
  const { ids, distinct } = intern([o, a, b]);
  const regions = mergeRegions(ids[0], ids[1], ids[2], distinct);
  const names = { ours: labels.ours ?? 'ours', base: labels.base ?? 'base', theirs: labels.theirs ?? 'theirs' };
  const conflicts = regions.filter((r) => r.kind === 'conflict' || r.kind === 'ambiguous').length;
  const ambiguous = regions.filter((r) => r.kind === 'ambiguous').length;
  return { clean: conflicts === 0, text: render(o, a, b, regions, names), conflicts, ambiguous };
}
