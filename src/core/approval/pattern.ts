// OpenSSH pattern-lists (ssh_config(5) PATTERNS), as allowed_signers uses them for principals and namespaces:
// comma-separated patterns with `*` (any run) and `?` (one character); a `!` pattern that matches denies outright.

/** Whether `text` matches one pattern; iterative with backtracking to the last `*`, so no input is exponential. */
export function matchPattern(text: string, pattern: string): boolean {
  let t = 0;
  let p = 0;
  let starP = -1;
  let starT = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      t++;
      p++;
    } else if (p < pattern.length && pattern[p] === '*') {
      starP = p++;
      starT = t;
    } else if (starP >= 0) {
      p = starP + 1;
      t = ++starT;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

/** 1: a positive pattern matched and no negated one did; -1: a negated pattern matched; 0: nothing matched. */
export function matchPatternList(text: string, list: string): -1 | 0 | 1 {
  let got: 0 | 1 = 0;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    const pattern = negated ? raw.slice(1) : raw;
    if (!matchPattern(text, pattern)) continue;
    if (negated) return -1;
    got = 1;
  }
  return got;
}
