// From change marks to hunks, the way git's xdiff finishes a diff: each group of changed lines is slid as far
// down as equal lines allow (or back up to line up with a change on the other side), then the groups become an
// edit script. Where a hunk lands decides whether two sides' edits touch, so this must match git exactly.
import { myers } from './myers.js';
import { prepare, type XdFile } from './prepare.js';

/** One hunk: lines [i1, i1+chg1) of the first file became lines [i2, i2+chg2) of the second. */
export interface Change {
  i1: number;
  chg1: number;
  i2: number;
  chg2: number;
}

/** A group of consecutive changed lines [start, end) of one file, walked in step with the other file's groups. */
class Group {
  start = 0;
  end = 0;
  constructor(private readonly f: XdFile) {
    while (f.rchg[this.end + 1]) this.end++;
  }
  next(): boolean {
    if (this.end === this.f.nrec) return false;
    this.start = this.end + 1;
    for (this.end = this.start; this.f.rchg[this.end + 1]; this.end++);
    return true;
  }
  previous(): boolean {
    if (this.start === 0) return false;
    this.end = this.start - 1;
    for (this.start = this.end; this.f.rchg[this.start]; this.start--);
    return true;
  }
  slideDown(): boolean {
    const { f } = this;
    if (this.end < f.nrec && f.ha[this.start] === f.ha[this.end]) {
      f.rchg[this.start++ + 1] = 0;
      f.rchg[this.end++ + 1] = 1;
      while (f.rchg[this.end + 1]) this.end++;
      return true;
    }
    return false;
  }
  slideUp(): boolean {
    const { f } = this;
    if (this.start > 0 && f.ha[this.start - 1] === f.ha[this.end - 1]) {
      f.rchg[--this.start + 1] = 1;
      f.rchg[--this.end + 1] = 0;
      while (f.rchg[this.start]) this.start--;
      return true;
    }
    return false;
  }
}

const broken = (): never => {
  throw new Error('xdiff: group sync broken (internal error)');
};

/** Slides every change group of `f` down as far as it goes, unless it can line up with a group of `fo`. */
function compact(f: XdFile, fo: XdFile): void {
  const g = new Group(f);
  const go = new Group(fo);
  for (;;) {
    if (g.end !== g.start) {
      let size: number;
      let earliestEnd: number;
      let endMatchingOther: number;
      do {
        size = g.end - g.start;
        endMatchingOther = -1;
        while (g.slideUp()) if (!go.previous()) broken();
        earliestEnd = g.end;
        if (go.end > go.start) endMatchingOther = g.end;
        while (g.slideDown()) {
          if (!go.next()) broken();
          if (go.end > go.start) endMatchingOther = g.end;
        }
      } while (size !== g.end - g.start);
      if (g.end !== earliestEnd && endMatchingOther !== -1) {
        while (go.end === go.start) {
          if (!g.slideUp()) broken();
          if (!go.previous()) broken();
        }
      }
    }
    if (!g.next()) break;
    if (!go.next()) broken();
  }
}

function buildScript(f1: XdFile, f2: XdFile): Change[] {
  const out: Change[] = [];
  const r1 = f1.rchg;
  const r2 = f2.rchg;
  for (let i1 = f1.nrec, i2 = f2.nrec; i1 >= 0 || i2 >= 0; i1--, i2--) {
    if ((i1 > 0 && r1[i1]) || (i2 > 0 && r2[i2])) {
      const l1 = i1;
      const l2 = i2;
      while (i1 > 0 && r1[i1]) i1--;
      while (i2 > 0 && r2[i2]) i2--;
      out.push({ i1, chg1: l1 - i1, i2, chg2: l2 - i2 });
    }
  }
  return out.reverse();
}

/** The hunks git's xdiff (default Myers, no indent heuristic) finds between two line lists. */
export function diffLines(a: readonly string[], b: readonly string[]): Change[] {
  const [f1, f2] = prepare(a, b);
  myers(f1, f2);
  compact(f1, f2);
  compact(f2, f1);
  return buildScript(f1, f2);
}
