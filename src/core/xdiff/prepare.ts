// Line records and the pre-pass of git's xdiff (xprepare.c behaviour): lines become class numbers, the common
// prefix and suffix are trimmed, and lines that cannot match (or match too often amid non-matching ones) are
// marked changed before Myers runs. Reproducing this pre-pass is what makes our hunks land where git's do.

/** One side of a diff: class per line, the change marks, and the reduced sequence Myers works on. */
export interface XdFile {
  nrec: number;
  /** Class number of each line (equal lines, equal class). */
  ha: Int32Array;
  /** Change marks with a sentinel on each side: line i is at rchg[i + 1]. */
  rchg: Uint8Array;
  /** Lines kept for Myers: their classes and their indexes in the file. */
  rha: Int32Array;
  rindex: Int32Array;
  nreff: number;
  dstart: number;
  dend: number;
}

/** Splits text into lines that keep their terminator; a last line without one stays as it is. */
export function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    out.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

/** xdl_bogosqrt: a power of two near sqrt(n), used by git as a size-relative threshold. */
export function bogosqrt(n: number): number {
  let i = 1;
  for (; n > 0; n = Math.floor(n / 4)) i *= 2;
  return i;
}

const MAX_EQLIMIT = 1024;
const SIMSCAN_WINDOW = 100;
const KPDIS_RUN = 4;

function newFile(ha: Int32Array): XdFile {
  const n = ha.length;
  return { nrec: n, ha, rchg: new Uint8Array(n + 2), rha: new Int32Array(n), rindex: new Int32Array(n), nreff: 0, dstart: 0, dend: n - 1 };
}

/** Whether a line matching too often (dis 2) sits in a run dominated by lines without match (then it is discarded). */
function cleanMmatch(dis: Uint8Array, i: number, s: number, e: number): boolean {
  if (i - s > SIMSCAN_WINDOW) s = i - SIMSCAN_WINDOW;
  if (e - i > SIMSCAN_WINDOW) e = i + SIMSCAN_WINDOW;
  let rdis0 = 0;
  let rpdis0 = 1;
  for (let r = 1; i - r >= s; r++) {
    if (dis[i - r] === 0) rdis0++;
    else if (dis[i - r] === 2) rpdis0++;
    else break;
  }
  if (rdis0 === 0) return false;
  let rdis1 = 0;
  let rpdis1 = 1;
  for (let r = 1; i + r <= e; r++) {
    if (dis[i + r] === 0) rdis1++;
    else if (dis[i + r] === 2) rpdis1++;
    else break;
  }
  if (rdis1 === 0) return false;
  rdis1 += rdis0;
  rpdis1 += rpdis0;
  return rpdis1 * KPDIS_RUN < rpdis1 + rdis1;
}

function trimEnds(f1: XdFile, f2: XdFile): void {
  let lim = Math.min(f1.nrec, f2.nrec);
  let i = 0;
  while (i < lim && f1.ha[i] === f2.ha[i]) i++;
  f1.dstart = f2.dstart = i;
  lim -= i;
  let j = 0;
  while (j < lim && f1.ha[f1.nrec - 1 - j] === f2.ha[f2.nrec - 1 - j]) j++;
  f1.dend = f1.nrec - j - 1;
  f2.dend = f2.nrec - j - 1;
}

/** Marks lines without a match as changed and keeps the rest (the reduced sequence) for Myers. */
function cleanupRecords(f: XdFile, countsInOther: Int32Array): void {
  const mlim = Math.min(bogosqrt(f.nrec), MAX_EQLIMIT);
  const dis = new Uint8Array(f.nrec + 1);
  for (let i = f.dstart; i <= f.dend; i++) {
    const nm = countsInOther[f.ha[i]];
    dis[i] = nm === 0 ? 0 : nm >= mlim ? 2 : 1;
  }
  let nreff = 0;
  for (let i = f.dstart; i <= f.dend; i++) {
    if (dis[i] === 1 || (dis[i] === 2 && !cleanMmatch(dis, i, f.dstart, f.dend))) {
      f.rindex[nreff] = i;
      f.rha[nreff] = f.ha[i];
      nreff++;
    } else f.rchg[i + 1] = 1;
  }
  f.nreff = nreff;
}

/** Classifies both line lists together and runs the pre-pass; the result is ready for Myers. */
export function prepare(lines1: readonly string[], lines2: readonly string[]): [XdFile, XdFile] {
  const ids = new Map<string, number>();
  const classify = (lines: readonly string[]): Int32Array => {
    const ha = new Int32Array(lines.length);
    lines.forEach((l, i) => {
      let id = ids.get(l);
      if (id === undefined) ids.set(l, (id = ids.size));
      ha[i] = id;
    });
    return ha;
  };
  const f1 = newFile(classify(lines1));
  const f2 = newFile(classify(lines2));
  const len1 = new Int32Array(ids.size);
  const len2 = new Int32Array(ids.size);
  for (const c of f1.ha) len1[c]++;
  for (const c of f2.ha) len2[c]++;
  trimEnds(f1, f2);
  cleanupRecords(f1, len2);
  cleanupRecords(f2, len1);
  return [f1, f2];
}
