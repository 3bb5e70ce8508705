// How the two sides' hunks against base combine into merge regions, as git's xdl_do_merge does: hunks that
// overlap or merely touch conflict unless identical; at the "zealous" levels a conflict is re-diffed side
// against side so that common lines leave it, and conflicts close together are joined.
import { diffLines, type Change } from './script.js';

/** 0 = conflict, 1 = take ours, 2 = take theirs, 4 = both sides made the same change. */
export type Mode = 0 | 1 | 2 | 4;

/** A region of the merge: base lines [i0, i0+chg0), ours [i1, i1+chg1), theirs [i2, i2+chg2). */
export interface Region {
  mode: Mode;
  i0: number;
  chg0: number;
  i1: number;
  chg1: number;
  i2: number;
  chg2: number;
}

export const EAGER = 1;
export const ZEALOUS = 2;
export const ZEALOUS_ALNUM = 3;

export interface Sides {
  base: readonly string[];
  ours: readonly string[];
  theirs: readonly string[];
}

function append(out: Region[], r: Region): void {
  const m = out[out.length - 1];
  if (m && (r.i1 <= m.i1 + m.chg1 || r.i2 <= m.i2 + m.chg2)) {
    if (r.mode !== m.mode) m.mode = 0;
    m.chg0 = r.i0 + r.chg0 - m.i0;
    m.chg1 = r.i1 + r.chg1 - m.i1;
    m.chg2 = r.i2 + r.chg2 - m.i2;
  } else out.push({ ...r });
}

const sameLines = (a: readonly string[], i: number, b: readonly string[], j: number, n: number): boolean => {
  for (let k = 0; k < n; k++) if (a[i + k] !== b[j + k]) return false;
  return true;
};

/** Walks both edit scripts (against base) in step and records the regions of the merge. */
function combine(s: Sides, x1: Change[], x2: Change[], level: number): Region[] {
  const out: Region[] = [];
  let a = 0;
  let b = 0;
  while (a < x1.length && b < x2.length) {
    const h1 = x1[a];
    const h2 = x2[b];
    if (h1.i1 + h1.chg1 < h2.i1) {
      append(out, { mode: 1, i0: h1.i1, chg0: h1.chg1, i1: h1.i2, chg1: h1.chg2, i2: h2.i2 - h2.i1 + h1.i1, chg2: h1.chg1 });
      a++;
      continue;
    }
    if (h2.i1 + h2.chg1 < h1.i1) {
      append(out, { mode: 2, i0: h2.i1, chg0: h2.chg1, i1: h1.i2 - h1.i1 + h2.i1, chg1: h2.chg1, i2: h2.i2, chg2: h2.chg2 });
      b++;
      continue;
    }
    const identical = h1.i1 === h2.i1 && h1.chg1 === h2.chg1 && h1.chg2 === h2.chg2 && sameLines(s.ours, h1.i2, s.theirs, h2.i2, h1.chg2);
    if (level < EAGER || !identical) {
      const off = h1.i1 - h2.i1;
      const ffo = off + h1.chg1 - h2.chg1;
      let i0 = h1.i1;
      let i1 = h1.i2;
      let i2 = h2.i2;
      if (off > 0) { i0 -= off; i1 -= off; } else i2 += off;
      let chg0 = h1.i1 + h1.chg1 - i0;
      let chg1 = h1.i2 + h1.chg2 - i1;
      let chg2 = h2.i2 + h2.chg2 - i2;
      if (ffo < 0) { chg0 -= ffo; chg1 -= ffo; } else chg2 += ffo;
      append(out, { mode: 0, i0, chg0, i1, chg1, i2, chg2 });
    }
    const e1 = h1.i1 + h1.chg1;
    const e2 = h2.i1 + h2.chg1;
    if (e1 >= e2) b++;
    if (e2 >= e1) a++;
  }
  for (; a < x1.length; a++) {
    const h1 = x1[a];
    append(out, { mode: 1, i0: h1.i1, chg0: h1.chg1, i1: h1.i2, chg1: h1.chg2, i2: h1.i1 + s.theirs.length - s.base.length, chg2: h1.chg1 });
  }
  for (; b < x2.length; b++) {
    const h2 = x2[b];
    append(out, { mode: 2, i0: h2.i1, chg0: h2.chg1, i1: h2.i1 + s.ours.length - s.base.length, chg1: h2.chg1, i2: h2.i2, chg2: h2.chg2 });
  }
  return out;
}

/** Re-diffs each conflict ours-against-theirs: equal lines leave it, and identical sides stop being a conflict. */
function refine(s: Sides, regions: Region[]): Region[] {
  const out: Region[] = [];
  for (const m of regions) {
    if (m.mode !== 0 || m.chg1 === 0 || m.chg2 === 0) {
      out.push(m);
      continue;
    }
    const script = diffLines(s.ours.slice(m.i1, m.i1 + m.chg1), s.theirs.slice(m.i2, m.i2 + m.chg2));
    if (script.length === 0) {
      out.push({ ...m, mode: 4 });
      continue;
    }
    // As in git, the refined pieces keep the base extent of the whole conflict (only diff3 output reads it,
    // and diff3 output is never refined).
    for (const x of script) out.push({ ...m, mode: 0, i1: m.i1 + x.i1, chg1: x.chg1, i2: m.i2 + x.i2, chg2: x.chg2 });
  }
  return out;
}

const ALNUM = /[A-Za-z0-9]/;

/** Joins conflicts separated by at most 3 lines (or by lines with no letter or digit, at the alnum level). */
function simplify(s: Sides, regions: Region[], ifNoAlnum: boolean): Region[] {
  const out: Region[] = [];
  for (const r of regions) {
    const m = out[out.length - 1];
    if (m && m.mode === 0 && r.mode === 0) {
      const begin = m.i1 + m.chg1;
      const end = r.i1;
      const between = s.ours.slice(begin, end);
      if (end - begin <= 3 || (ifNoAlnum && !between.some((l) => ALNUM.test(l)))) {
        m.chg1 = r.i1 + r.chg1 - m.i1;
        m.chg2 = r.i2 + r.chg2 - m.i2;
        continue;
      }
    }
    out.push({ ...r });
  }
  return out;
}

/** The merge regions for two edit scripts against base, at a git merge level (EAGER for diff3 output). */
export function mergeRegions(s: Sides, x1: Change[], x2: Change[], level: number): Region[] {
  const regions = combine(s, x1, x2, level);
  if (level < ZEALOUS) return regions;
  return simplify(s, refine(s, regions), level > ZEALOUS);
}
