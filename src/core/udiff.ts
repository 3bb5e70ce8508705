// Unified diffs of two texts, for `show` to print what a merge or a conflict changes. The hunks come from the
// same git-compatible diff as the merge (Myers, O(ND): linear-ish on large similar files, never quadratic),
// so the diff shown for a merge lines up with the regions the merge saw.
import { splitLines } from './xdiff/prepare.js';
import { diffLines, type Change } from './xdiff/script.js';

export interface UnifiedDiffOptions {
  /** Label of the `---` line (default `a`). */
  fromLabel?: string;
  /** Label of the `+++` line (default `b`). */
  toLabel?: string;
  /** Lines of context around each change (default 3). */
  context?: number;
}

const NO_NEWLINE = '\\ No newline at end of file\n';

/** `-l,s` / `+l,s` as diff writes them: `l` alone when one line, the line before when empty. */
function range(start: number, count: number): string {
  if (count === 0) return `${start},0`;
  return count === 1 ? `${start + 1}` : `${start + 1},${count}`;
}

function emit(out: string[], prefix: string, line: string): void {
  out.push(prefix, line);
  if (!line.endsWith('\n')) out.push('\n', NO_NEWLINE);
}

/** Groups changes whose unchanged gap is at most twice the context, as diff does. */
function groups(changes: Change[], ctx: number): Change[][] {
  const out: Change[][] = [];
  for (const c of changes) {
    const g = out[out.length - 1];
    const prev = g?.[g.length - 1];
    if (prev && c.i1 - (prev.i1 + prev.chg1) <= 2 * ctx) g.push(c);
    else out.push([c]);
  }
  return out;
}

/** A standard unified diff from `a` to `b` (empty string when they are equal). */
export function unifiedDiff(a: string, b: string, opts: UnifiedDiffOptions = {}): string {
  if (a === b) return '';
  const ctx = Math.max(0, opts.context ?? 3);
  const la = splitLines(a);
  const lb = splitLines(b);
  const out: string[] = [`--- ${opts.fromLabel ?? 'a'}\n`, `+++ ${opts.toLabel ?? 'b'}\n`];
  for (const g of groups(diffLines(la, lb), ctx)) {
    const first = g[0];
    const last = g[g.length - 1];
    const s1 = Math.max(0, first.i1 - ctx);
    const e1 = Math.min(la.length, last.i1 + last.chg1 + ctx);
    const s2 = first.i2 - (first.i1 - s1);
    const e2 = last.i2 + last.chg2 + (e1 - (last.i1 + last.chg1));
    out.push(`@@ -${range(s1, e1 - s1)} +${range(s2, e2 - s2)} @@\n`);
    let i = s1;
    for (const c of g) {
      for (; i < c.i1; i++) emit(out, ' ', la[i]);
      for (let k = 0; k < c.chg1; k++) emit(out, '-', la[c.i1 + k]);
      for (let k = 0; k < c.chg2; k++) emit(out, '+', lb[c.i2 + k]);
      i = c.i1 + c.chg1;
    }
    for (; i < e1; i++) emit(out, ' ', la[i]);
  }
  return out.join('');
}
