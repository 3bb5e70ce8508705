// Myers' O(ND) difference algorithm, divide and conquer on the middle snake, with the cost cut-offs git's xdiff
// uses (xdiffi.c behaviour): past a cost of max(256, ~sqrt(N)) it settles for a good-enough split, so large
// files with many edits stay near-linear, and the hunks it picks are the ones git picks.
import { bogosqrt, type XdFile } from './prepare.js';

const SNAKE_CNT = 20;
const HEUR_MIN_COST = 256;
const MAX_COST_MIN = 256;
const K_HEUR = 4;
const LINE_MAX = 0x7fffffff;

interface Env {
  ha1: Int32Array;
  ha2: Int32Array;
  kv: Int32Array;
  /** Where diagonal 0 of the forward and backward vectors sits in `kv`. */
  fo: number;
  bo: number;
  mxcost: number;
}

interface Split {
  i1: number;
  i2: number;
  minLo: boolean;
  minHi: boolean;
}

/** Finds where to split the box [off1,lim1) x [off2,lim2): the middle snake, or a heuristic cut. */
function split(env: Env, off1: number, lim1: number, off2: number, lim2: number, needMin: boolean): Split {
  const { ha1, ha2, kv, fo, bo } = env;
  const dmin = off1 - lim2;
  const dmax = lim1 - off2;
  const fmid = off1 - off2;
  const bmid = lim1 - lim2;
  const odd = ((fmid - bmid) & 1) !== 0;
  let fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
  kv[fo + fmid] = off1;
  kv[bo + bmid] = lim1;
  for (let ec = 1; ; ec++) {
    let gotSnake = false;
    if (fmin > dmin) kv[fo + --fmin - 1] = -1;
    else ++fmin;
    if (fmax < dmax) kv[fo + ++fmax + 1] = -1;
    else --fmax;
    for (let d = fmax; d >= fmin; d -= 2) {
      let i1 = kv[fo + d - 1] >= kv[fo + d + 1] ? kv[fo + d - 1] + 1 : kv[fo + d + 1];
      const prev1 = i1;
      let i2 = i1 - d;
      while (i1 < lim1 && i2 < lim2 && ha1[i1] === ha2[i2]) { i1++; i2++; }
      if (i1 - prev1 > SNAKE_CNT) gotSnake = true;
      kv[fo + d] = i1;
      if (odd && bmin <= d && d <= bmax && kv[bo + d] <= i1) return { i1, i2, minLo: true, minHi: true };
    }
    if (bmin > dmin) kv[bo + --bmin - 1] = LINE_MAX;
    else ++bmin;
    if (bmax < dmax) kv[bo + ++bmax + 1] = LINE_MAX;
    else --bmax;
    for (let d = bmax; d >= bmin; d -= 2) {
      let i1 = kv[bo + d - 1] < kv[bo + d + 1] ? kv[bo + d - 1] : kv[bo + d + 1] - 1;
      const prev1 = i1;
      let i2 = i1 - d;
      while (i1 > off1 && i2 > off2 && ha1[i1 - 1] === ha2[i2 - 1]) { i1--; i2--; }
      if (prev1 - i1 > SNAKE_CNT) gotSnake = true;
      kv[bo + d] = i1;
      if (!odd && fmin <= d && d <= fmax && i1 <= kv[fo + d]) return { i1, i2, minLo: true, minHi: true };
    }
    if (needMin) continue;
    if (gotSnake && ec > HEUR_MIN_COST) {
      // A long diagonal far from the corner is taken as a good-enough split (forward, then backward).
      let best = 0;
      let s: Split | null = null;
      for (let d = fmax; d >= fmin; d -= 2) {
        const dd = d > fmid ? d - fmid : fmid - d;
        const i1 = kv[fo + d];
        const i2 = i1 - d;
        const v = i1 - off1 + (i2 - off2) - dd;
        if (v > K_HEUR * ec && v > best && off1 + SNAKE_CNT <= i1 && i1 < lim1 && off2 + SNAKE_CNT <= i2 && i2 < lim2) {
          for (let k = 1; ha1[i1 - k] === ha2[i2 - k]; k++) {
            if (k === SNAKE_CNT) { best = v; s = { i1, i2, minLo: true, minHi: false }; break; }
          }
        }
      }
      if (s) return s;
      best = 0;
      for (let d = bmax; d >= bmin; d -= 2) {
        const dd = d > bmid ? d - bmid : bmid - d;
        const i1 = kv[bo + d];
        const i2 = i1 - d;
        const v = lim1 - i1 + (lim2 - i2) - dd;
        if (v > K_HEUR * ec && v > best && off1 < i1 && i1 <= lim1 - SNAKE_CNT && off2 < i2 && i2 <= lim2 - SNAKE_CNT) {
          for (let k = 0; ha1[i1 + k] === ha2[i2 + k]; k++) {
            if (k === SNAKE_CNT - 1) { best = v; s = { i1, i2, minLo: false, minHi: true }; break; }
          }
        }
      }
      if (s) return s;
    }
    if (ec >= env.mxcost) {
      // Too expensive: take the furthest-reaching path of either direction.
      let fbest = -1, fbest1 = -1;
      for (let d = fmax; d >= fmin; d -= 2) {
        let i1 = Math.min(kv[fo + d], lim1);
        let i2 = i1 - d;
        if (lim2 < i2) { i1 = lim2 + d; i2 = lim2; }
        if (fbest < i1 + i2) { fbest = i1 + i2; fbest1 = i1; }
      }
      let bbest = LINE_MAX, bbest1 = LINE_MAX;
      for (let d = bmax; d >= bmin; d -= 2) {
        let i1 = Math.max(off1, kv[bo + d]);
        let i2 = i1 - d;
        if (i2 < off2) { i1 = off2 + d; i2 = off2; }
        if (i1 + i2 < bbest) { bbest = i1 + i2; bbest1 = i1; }
      }
      if (lim1 + lim2 - bbest < fbest - (off1 + off2)) return { i1: fbest1, i2: fbest - fbest1, minLo: true, minHi: false };
      return { i1: bbest1, i2: bbest - bbest1, minLo: false, minHi: true };
    }
  }
}

/** Marks the changed lines of both reduced sequences (recursion depth is logarithmic in practice). */
function compare(env: Env, f1: XdFile, off1: number, lim1: number, f2: XdFile, off2: number, lim2: number, needMin: boolean): void {
  const { ha1, ha2 } = env;
  while (off1 < lim1 && off2 < lim2 && ha1[off1] === ha2[off2]) { off1++; off2++; }
  while (off1 < lim1 && off2 < lim2 && ha1[lim1 - 1] === ha2[lim2 - 1]) { lim1--; lim2--; }
  if (off1 === lim1) {
    for (; off2 < lim2; off2++) f2.rchg[f2.rindex[off2] + 1] = 1;
  } else if (off2 === lim2) {
    for (; off1 < lim1; off1++) f1.rchg[f1.rindex[off1] + 1] = 1;
  } else {
    const s = split(env, off1, lim1, off2, lim2, needMin);
    compare(env, f1, off1, s.i1, f2, off2, s.i2, s.minLo);
    compare(env, f1, s.i1, lim1, f2, s.i2, lim2, s.minHi);
  }
}

/** Runs Myers over the reduced sequences of a prepared pair, setting their change marks. */
export function myers(f1: XdFile, f2: XdFile): void {
  const ndiags = f1.nreff + f2.nreff + 3;
  const env: Env = {
    ha1: f1.rha,
    ha2: f2.rha,
    kv: new Int32Array(2 * ndiags + 2),
    fo: f2.nreff + 1,
    bo: ndiags + f2.nreff + 1,
    mxcost: Math.max(bogosqrt(ndiags), MAX_COST_MIN),
  };
  compare(env, f1, 0, f1.nreff, f2, 0, f2.nreff, false);
}

