// The two-way half of the merge: which base lines one side replaced, over one stretch of the texts. node-diff3
// finds a longest common subsequence (Hunt and McIlroy); around it, this module matches unique lines first, keeps
// node-diff3's work within a budget, and places each run of changes where `git merge-file` places it, since
// that decides which edits of the two sides touch.
import { diffIndices } from 'node-diff3';
import { increasing, uniquePairs, type Counts, type Ids } from './lines.js';

/** Base lines [o, o + oLen) became side lines [s, s + sLen). Hunks are sorted and never touch each other. */
export interface Hunk {
  o: number;
  oLen: number;
  s: number;
  sLen: number;
}

/** Base lines [o0, o1) and side lines [s0, s1), lined up at both ends (lines outside match one to one). */
export interface Stretch {
  o0: number;
  o1: number;
  s0: number;
  s1: number;
}

/**
 * The work one merge may spend in node-diff3, in units of its LCS: that scans its list of candidates (at most the
 * shorter side long) for every pair of equal lines, so a piece costs (pairs + lines) x shorter side, counted
 * before it runs. 20 million units take 0.05 to 0.15 s; a config file with scattered edits needs a few thousand.
 */
export const MERGE_BUDGET = 20_000_000;

/** What one merge shares between its stretches: per-line counters and the budget left. */
export interface Work {
  counts: Counts;
  budget: number;
}

/** Change marks of base[fr) and side[gr): mark[i - range start] is 1 for a line that is not matched. */
interface Marks {
  f: Uint8Array;
  g: Uint8Array;
  fr: [number, number];
  gr: [number, number];
}

function markRange(m: Marks, x0: number, x1: number, y0: number, y1: number): void {
  m.f.fill(1, x0 - m.fr[0], x1 - m.fr[0]);
  m.g.fill(1, y0 - m.gr[0], y1 - m.gr[0]);
}

/**
 * What to do with a piece the budget cannot pay for: fail the whole stretch (a merge must not guess), or mark the
 * piece as replaced outright (a diff for review stays exact, just not minimal there).
 */
export type OverBudget = 'fail' | 'replace';

/**
 * Marks what changed between base[x0, x1) and side[y0, y1); false when the budget runs out under `fail`.
 * Lines that occur once in both, in the same order, are matched first (patience diff); node-diff3 sees only the
 * pieces between them, each trimmed of the lines its two ends share.
 */
function markChanges(base: Ids, side: Ids, st: Stretch, m: Marks, w: Work, over: OverBudget): boolean {
  const pairs = uniquePairs(w.counts, base, st.o0, st.o1, side, st.s0, st.s1);
  const anchors = increasing(pairs.map((p) => p[1])).map((k) => pairs[k]);
  const ends = [...anchors, [st.o1, st.s1]];
  for (let k = 0; k < ends.length; k++) {
    let [x0, y0] = k ? [ends[k - 1][0] + 1, ends[k - 1][1] + 1] : [st.o0, st.s0];
    let [x1, y1] = ends[k];
    while (x0 < x1 && y0 < y1 && base[x0] === side[y0]) { x0++; y0++; }
    while (x1 > x0 && y1 > y0 && base[x1 - 1] === side[y1 - 1]) { x1--; y1--; }
    if (x0 === x1 || y0 === y1) markRange(m, x0, x1, y0, y1);
    else {
      const cost = (w.counts.pairs(base, x0, x1, side, y0, y1) + x1 - x0) * Math.min(x1 - x0, y1 - y0);
      if (cost > w.budget) {
        if (over === 'fail') return false;
        markRange(m, x0, x1, y0, y1);
        continue;
      }
      w.budget -= cost;
      // node-diff3 takes plain arrays; one id per line stands for the line (equal ids, equal bytes).
      for (const d of diffIndices(Array.from(base.subarray(x0, x1)), Array.from(side.subarray(y0, y1)))) {
        markRange(m, x0 + d.buffer1[0], x0 + d.buffer1[0] + d.buffer1[1], y0 + d.buffer2[0], y0 + d.buffer2[0] + d.buffer2[1]);
      }
    }
  }
  return true;
}

/**
 * Moves each run of changed lines of `f` within its range as far down as equal lines allow, except that a run that
 * can end where a run of changes of the other text ends stays at the lowest such place (the two then read as one
 * replacement). Runs that meet while moving become one. Equally long common subsequences that differ only in where
 * runs of repeated lines are cut thus give one picture, and it is the one git shows.
 */
function slide(f: Ids, cf: Uint8Array, fr: [number, number], cg: Uint8Array, gr: [number, number]): void {
  const [lo, hi] = fr;
  // matchInG[k]: where in the other text the k-th unmarked line of f (counted from lo) is matched.
  const matchInG: number[] = [];
  for (let j = gr[0]; j < gr[1]; j++) if (!cg[j - gr[0]]) matchInG.push(j);
  const marked = (i: number) => cf[i - lo] === 1;
  const move = (from: number, to: number) => { cf[from - lo] = 0; cf[to - lo] = 1; };
  /** Whether a run of the other text's changes ends where a run of f with `k` unmarked lines before it ends. */
  const meets = (k: number): boolean => {
    const j = k < matchInG.length ? matchInG[k] : gr[1];
    return j > gr[0] && cg[j - 1 - gr[0]] === 1;
  };
  let before = 0; // unmarked lines of f in [lo, s)
  let i = lo;
  while (i < hi) {
    if (!marked(i)) { i++; before++; continue; }
    let s = i;
    let e = i;
    while (e < hi && marked(e)) e++;
    let size: number;
    let meetAt: number;
    do {
      size = e - s;
      while (s > lo && f[s - 1] === f[e - 1]) { // up, joining runs above
        move(e - 1, s - 1); s--; e--; before--;
        while (s > lo && marked(s - 1)) s--;
      }
      meetAt = meets(before) ? e : -1;
      while (e < hi && f[s] === f[e]) { // down, joining runs below
        move(s, e); s++; e++; before++;
        while (e < hi && marked(e)) e++;
        if (meets(before)) meetAt = e;
      }
    } while (size !== e - s);
    // Nothing joined in the last pass down, so going back up retraces it exactly.
    while (meetAt >= 0 && e > meetAt) { move(e - 1, s - 1); s--; e--; before--; }
    i = e;
  }
}

function hunksOf(m: Marks): Hunk[] {
  const out: Hunk[] = [];
  let [i, j] = [m.fr[0], m.gr[0]];
  const inF = (k: number) => k < m.fr[1] && m.f[k - m.fr[0]] === 1;
  const inG = (k: number) => k < m.gr[1] && m.g[k - m.gr[0]] === 1;
  while (i < m.fr[1] || j < m.gr[1]) {
    if (!inF(i) && !inG(j)) { i++; j++; continue; }
    const h: Hunk = { o: i, oLen: 0, s: j, sLen: 0 };
    while (inF(i)) { i++; h.oLen++; }
    while (inG(j)) { j++; h.sLen++; }
    out.push(h);
  }
  return out;
}

/**
 * The hunks turning base[st.o0, st.o1) into side[st.s0, st.s1); null when the budget runs out under `fail`.
 * The stretch may start and end with lines that both share, so that runs of changes can slide into them.
 */
export function alignStretch(base: Ids, side: Ids, st: Stretch, w: Work, over: OverBudget = 'fail'): Hunk[] | null {
  const m: Marks = { f: new Uint8Array(st.o1 - st.o0), g: new Uint8Array(st.s1 - st.s0), fr: [st.o0, st.o1], gr: [st.s0, st.s1] };
  if (!markChanges(base, side, st, m, w, over)) return null;
  slide(base, m.f, m.fr, m.g, m.gr);
  slide(side, m.g, m.gr, m.f, m.fr);
  return hunksOf(m);
}
