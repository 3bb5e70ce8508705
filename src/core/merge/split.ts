// Cuts a three-way merge into small independent spans, so that its cost follows the edits rather than the file:
// what all three texts share at the start and the end is set aside, and the rest is split at anchor lines, lines
// that occur exactly once in each text and come in the same order in all three (the idea of patience diff,
// applied to three texts). An anchor matches itself in every text, so no edit can reach across it.
import { increasing, uniquePairs, type Counts, type Ids } from './lines.js';

/** Line ranges [x0, x1) of base (o), ours (a) and theirs (b) between two anchors. */
export interface Span {
  o0: number; o1: number;
  a0: number; a1: number;
  b0: number; b1: number;
}

/**
 * The spans between shared lines: the common start and end of all three, and the anchors in between. Lines
 * outside the spans are equal in all three and line up one to one.
 */
export function splitSpans(o: Ids, a: Ids, b: Ids, c: Counts): Span[] {
  let pre = 0;
  const shortest = Math.min(o.length, a.length, b.length);
  while (pre < shortest && o[pre] === a[pre] && o[pre] === b[pre]) pre++;
  let suf = 0;
  const at = (x: Ids) => x[x.length - 1 - suf];
  while (suf < shortest - pre && at(o) === at(a) && at(o) === at(b)) suf++;
  const [oe, ae, be] = [o.length - suf, a.length - suf, b.length - suf];
  const oa = uniquePairs(c, o, pre, oe, a, pre, ae);
  const cand = c.withPositions(b, c.singles(b, pre, be), (where) =>
    oa.map(([i, j]): [number, number, number] => [i, j, where(o[i])]).filter((t) => t[2] >= 0));
  // In order in ours, then (of those) in theirs: a chain that increases in all three.
  const byA = increasing(cand.map((t) => t[1])).map((k) => cand[k]);
  const anchors = increasing(byA.map((t) => t[2])).map((k) => byA[k]);
  const spans: Span[] = [];
  let [o0, a0, b0] = [pre, pre, pre];
  for (const [i, j, k] of [...anchors, [oe, ae, be]]) {
    if (i > o0 || j > a0 || k > b0) spans.push({ o0, o1: i, a0, a1: j, b0, b1: k });
    [o0, a0, b0] = [i + 1, j + 1, k + 1];
  }
  return spans;
}
