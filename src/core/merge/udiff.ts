// Unified diffs of two texts, for `show` to print what a merge or a conflict changes. The hunks come from the
// merge's own two-way alignment (merge-align.ts on node-diff3), so a merge's diff lines up with what the merge
// saw; the text is the plain unified form that `git apply` and `patch` read. Pieces too costly for the work
// budget are shown as replaced outright: the diff stays exact, and no diff takes unbounded time.
import { alignStretch, MERGE_BUDGET, type Hunk } from './align.js';
import { Counts, intern, splitLines } from './lines.js';

export interface UnifiedDiffOptions {
  /** Label of the `---` line (default `a`). */
  fromLabel?: string;
  /** Label of the `+++` line (default `b`). */
  toLabel?: string;
  /** Lines of context around each change (default 3). */
  context?: number;
}

const NO_NEWLINE = '\\ No newline at end of file\n';

/** `-l,s` / `+l,s` as diff writes them: `l` alone for one line; for none, the line before. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

function emit(out: string[], prefix: string, line: string): void {
  out.push(prefix, line);
  if (!line.endsWith('\n')) out.push('\n', NO_NEWLINE);
}

/** Hunks whose unchanged gap is at most twice the context share one `@@` block, as diff prints them. */
function groups(hunks: Hunk[], context: number): Hunk[][] {
  const out: Hunk[][] = [];
  for (const h of hunks) {
    const g = out[out.length - 1];
    const prev = g?.[g.length - 1];
    if (prev && h.o - (prev.o + prev.oLen) <= 2 * context) g.push(h);
    else out.push([h]);
  }
  return out;
}

/** A standard unified diff from `a` to `b` (empty string when they are equal). */
export function unifiedDiff(a: string, b: string, opts: UnifiedDiffOptions = {}): string {
  if (a === b) return '';
  const context = Math.max(0, opts.context ?? 3);
  const [la, lb] = [splitLines(a), splitLines(b)];
  const { ids: [x, y], distinct } = intern([la, lb]);
  const all = { o0: 0, o1: x.length, s0: 0, s1: y.length };
  const hunks = alignStretch(x, y, all, { counts: new Counts(distinct), budget: MERGE_BUDGET }, 'replace') ?? [];
  const out: string[] = [`--- ${opts.fromLabel ?? 'a'}\n`, `+++ ${opts.toLabel ?? 'b'}\n`];
  for (const g of groups(hunks, context)) {
    const [first, last] = [g[0], g[g.length - 1]];
    const s1 = Math.max(0, first.o - context);
    const e1 = Math.min(la.length, last.o + last.oLen + context);
    const s2 = first.s - (first.o - s1);
    const e2 = last.s + last.sLen + (e1 - (last.o + last.oLen));
    out.push(`@@ -${range(s1, e1 - s1)} +${range(s2, e2 - s2)} @@\n`);
    let i = s1;
    for (const h of g) {
      for (; i < h.o; i++) emit(out, ' ', la[i]);
      for (let k = 0; k < h.oLen; k++) emit(out, '-', la[h.o + k]);
      for (let k = 0; k < h.sLen; k++) emit(out, '+', lb[h.s + k]);
      i = h.o + h.oLen;
    }
    for (; i < e1; i++) emit(out, ' ', la[i]);
  }
  return out.join('');
}
