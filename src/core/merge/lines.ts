// Lines as the merge sees them: each text is cut after every '\n' (so a line keeps its own LF or CRLF, and a last
// line may have none), and every distinct line gets a small number. Comparing numbers instead of strings keeps
// the merge's inner loops cheap, and node-diff3 groups equal lines by them.

/** Line numbers (ids) of one text: equal ids, byte-identical lines (terminator included). */
export type Ids = Int32Array;

/** Lines with their terminators; the last one may have none. Joining them gives back the text exactly. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let at = 0;
  for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', at)) {
    out.push(text.slice(at, nl + 1));
    at = nl + 1;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** Ids for the lines of several texts, shared between them, and how many distinct lines there are. */
export function intern(texts: readonly (readonly string[])[]): { ids: Ids[]; distinct: number } {
  const seen = new Map<string, number>();
  const ids = texts.map((lines) => {
    const out = new Int32Array(lines.length);
    for (let i = 0; i < lines.length; i++) {
      let id = seen.get(lines[i]);
      if (id === undefined) seen.set(lines[i], (id = seen.size));
      out[i] = id;
    }
    return out;
  });
  return { ids, distinct: seen.size };
}

/**
 * Per-id counters and positions for one merge, zero between uses, so that a range costs its own length and not
 * the number of distinct lines.
 */
export class Counts {
  private readonly n: Int32Array;
  private readonly at: Int32Array;
  constructor(distinct: number) {
    this.n = new Int32Array(distinct);
    this.at = new Int32Array(distinct);
  }

  /** Positions in x[from, to) whose line occurs there exactly once, in order. */
  singles(x: Ids, from: number, to: number): number[] {
    for (let i = from; i < to; i++) this.n[x[i]]++;
    const out: number[] = [];
    for (let i = from; i < to; i++) if (this.n[x[i]] === 1) out.push(i);
    for (let i = from; i < to; i++) this.n[x[i]] = 0;
    return out;
  }

  /** Remembers position `i` for each of `positions`' lines, calls `fn`, and forgets them again. */
  withPositions<T>(x: Ids, positions: readonly number[], fn: (where: (id: number) => number) => T): T {
    for (const i of positions) this.at[x[i]] = i + 1;
    try {
      return fn((id) => this.at[id] - 1);
    } finally {
      for (const i of positions) this.at[x[i]] = 0;
    }
  }

  /** Pairs of equal lines between x[x0, x1) and y[y0, y1). */
  pairs(x: Ids, x0: number, x1: number, y: Ids, y0: number, y1: number): number {
    for (let j = y0; j < y1; j++) this.n[y[j]]++;
    let total = 0;
    for (let i = x0; i < x1; i++) total += this.n[x[i]];
    for (let j = y0; j < y1; j++) this.n[y[j]] = 0;
    return total;
  }
}

/** Indexes of a longest strictly increasing subsequence of `xs` (patience sorting, n log n). */
export function increasing(xs: readonly number[]): number[] {
  const tails: number[] = []; // tails[k]: index ending the best run of length k + 1 found so far
  const prev = new Int32Array(xs.length);
  for (let i = 0; i < xs.length; i++) {
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (xs[tails[mid]] < xs[i]) lo = mid + 1;
      else hi = mid;
    }
    prev[i] = lo > 0 ? tails[lo - 1] : -1;
    tails[lo] = i;
  }
  const out: number[] = [];
  for (let i = tails.length ? tails[tails.length - 1] : -1; i >= 0; i = prev[i]) out.push(i);
  return out.reverse();
}

/**
 * Anchor candidates between x[x0, x1) and y[y0, y1): pairs of positions [i, j] holding a line that occurs once in
 * each range, sorted by i.
 */
export function uniquePairs(c: Counts, x: Ids, x0: number, x1: number, y: Ids, y0: number, y1: number): [number, number][] {
  const inX = c.singles(x, x0, x1);
  return c.withPositions(y, c.singles(y, y0, y1), (where) => {
    const out: [number, number][] = [];
    for (const i of inX) {
      const j = where(x[i]);
      if (j >= 0) out.push([i, j]);
    }
    return out;
  });
}
