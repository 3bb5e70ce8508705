// Three-way text merge that gives what `git merge-file` gives: a clean merge is byte-identical to
// `git merge-file -p ours base theirs`, a conflicted one is rendered like `--diff3 -L ours -L base -L theirs`.
// The diff and the region rules are git's xdiff behaviour, re-implemented in src/core/xdiff (see README notes).
import { splitLines } from './xdiff/prepare.js';
import { diffLines } from './xdiff/script.js';
import { EAGER, mergeRegions, ZEALOUS_ALNUM, type Region, type Sides } from './xdiff/hunks.js';

export interface MergeResult {
  /** True when git would exit 0 (no conflict at its default, "zealous alnum" level). */
  clean: boolean;
  /** The merged text; when not clean, with diff3-style conflict markers. */
  text: string;
  /** Conflict blocks in `text` (0 when clean). */
  conflicts: number;
}

export interface MergeLabels {
  ours?: string;
  base?: string;
  theirs?: string;
}

const MARKER = 7;

/** git's is_eol_crlf: 1 for CRLF, 0 for LF, -1 when the line cannot tell. */
function eolCrlf(lines: readonly string[], i: number): number {
  const endsCrlf = (l: string): number => (l.length > 1 && l.endsWith('\r\n') ? 1 : 0);
  if (i < lines.length - 1) return endsCrlf(lines[i]);
  if (lines.length === 0) return -1;
  if (lines[i].endsWith('\n')) return endsCrlf(lines[i]);
  if (i === 0) return -1;
  return endsCrlf(lines[i - 1]);
}

/** Markers and added newlines follow the sides' line endings (CRLF only when all the evidence says CRLF). */
function needsCr(s: Sides, m: Region): boolean {
  let cr = eolCrlf(s.ours, m.i1 ? m.i1 - 1 : 0);
  if (cr) cr = eolCrlf(s.theirs, m.i2 ? m.i2 - 1 : 0);
  if (cr) cr = eolCrlf(s.base, 0);
  return cr > 0;
}

/** Lines [i, i+n) of `lines`; with `addNl`, a last line without newline gets one (as git does in conflicts). */
function copy(lines: readonly string[], i: number, n: number, addNl = false, cr = false): string {
  if (n < 1) return '';
  const text = lines.slice(i, i + n).join('');
  return addNl && !text.endsWith('\n') ? text + (cr ? '\r\n' : '\n') : text;
}

function render(s: Sides, regions: Region[], labels: Required<MergeLabels>, diff3: boolean): string {
  const parts: string[] = [];
  let i = 0;
  for (const m of regions) {
    if (m.mode === 0) {
      const cr = needsCr(s, m);
      const eol = cr ? '\r\n' : '\n';
      const marker = (ch: string, label: string | null): string => ch.repeat(MARKER) + (label === null ? '' : ` ${label}`) + eol;
      parts.push(copy(s.ours, i, m.i1 - i), marker('<', labels.ours), copy(s.ours, m.i1, m.chg1, true, cr));
      if (diff3) parts.push(marker('|', labels.base), copy(s.base, m.i0, m.chg0, true, cr));
      parts.push(marker('=', null), copy(s.theirs, m.i2, m.chg2, true, cr), marker('>', labels.theirs));
    } else if (m.mode === 1) {
      parts.push(copy(s.ours, i, m.i1 + m.chg1 - i));
    } else if (m.mode === 2) {
      parts.push(copy(s.ours, i, m.i1 - i), copy(s.theirs, m.i2, m.chg2));
    } else continue;
    i = m.i1 + m.chg1;
  }
  parts.push(copy(s.ours, i, s.ours.length - i));
  return parts.join('');
}

/**
 * Merges `theirs`' changes (base -> theirs) into `ours` (base -> ours). Line endings and a missing final newline
 * are kept as they are in each side; nothing is normalized.
 */
export function merge3(ours: string, base: string, theirs: string, labels: MergeLabels = {}): MergeResult {
  const s: Sides = { base: splitLines(base), ours: splitLines(ours), theirs: splitLines(theirs) };
  const x1 = diffLines(s.base, s.ours);
  const x2 = diffLines(s.base, s.theirs);
  // git returns the other side verbatim when one side did not change anything.
  if (x1.length === 0) return { clean: true, text: theirs, conflicts: 0 };
  if (x2.length === 0) return { clean: true, text: ours, conflicts: 0 };
  const names = { ours: labels.ours ?? 'ours', base: labels.base ?? 'base', theirs: labels.theirs ?? 'theirs' };
  const zealous = mergeRegions(s, x1, x2, ZEALOUS_ALNUM);
  if (!zealous.some((r) => r.mode === 0)) return { clean: true, text: render(s, zealous, names, false), conflicts: 0 };
  const eager = mergeRegions(s, x1, x2, EAGER);
  return { clean: false, text: render(s, eager, names, true), conflicts: eager.filter((r) => r.mode === 0).length };
}
