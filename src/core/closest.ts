// "Did you mean": the known words nearest to a mistyped one, by optimal-string-alignment distance (Levenshtein's
// edits plus the swap of two neighbours, the commonest typo). Pure, so the shell and its tests share one rule.

/** Edits (insert, delete, substitute, swap two adjacent letters) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The candidates close enough to `word` to be what was meant, nearest first: at most a third of the word's letters
 * wrong (at least one), or the word is a clear start of exactly one candidate (`--cont` for `--continue`).
 */
export function closest(word: string, candidates: readonly string[]): string[] {
  const w = word.toLowerCase();
  const limit = Math.max(1, Math.floor(w.replace(/^-+/, '').length / 3));
  const scored = candidates
    .map((c) => ({ c, d: editDistance(w, c.toLowerCase()) }))
    .filter((x) => x.d > 0 && x.d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c));
  if (scored.length > 0) return scored.filter((x) => x.d === scored[0].d).map((x) => x.c);
  const starts = candidates.filter((c) => w.replace(/^-+/, '').length >= 3 && c.toLowerCase().startsWith(w) && c.toLowerCase() !== w);
  return starts.length === 1 ? starts : [];
}
