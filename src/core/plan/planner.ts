// The planner's decision table (DESIGN.md "Decisions per path"), pure: which paths an update needs to look at,
// and per path what to do given installed (I), base (B) and target (T). Merges are only requested here; their
// texts are read by the caller and resolved by plan-merge.ts, so nothing here reads a file or hashes a pack.
import type { ConflictReason, Entry, FileEntry, Manifest, Observed } from '../model.js';
import { comparePaths, parentsOf } from '../paths.js';
import { sameContent, sameEntry } from '../pack-compare.js';

export type Decision =
  | { path: string; action: 'add' | 'replace' | 'remove' | 'chmod'; before: Observed; after: Observed }
  | { path: string; action: 'merge'; before: FileEntry; base: FileEntry; target: FileEntry }
  | { path: string; action: 'conflict'; reason: ConflictReason; before: Observed; base: Entry | null; target: Entry | null };

const ABSENT: Observed = { kind: 'absent' };

/**
 * Paths whose base and target entries differ, in path order: the only ones an update can touch. A published
 * manifest is canonical JSON, so both key lists come in code-unit order, and one merge walk over them compares each
 * shared path's entries without a hash lookup (issue 22: a 48,000-path pair cost 45 ms of CPU looked up, 31 ms
 * walked). Keys in any other order (a manifest built in memory, a path JSON puts first because it reads as an
 * integer) are compared by lookup instead: the walk is an optimization, never a second rule.
 */
export function changedPaths(base: Manifest, target: Manifest): string[] {
  const [bk, tk] = [Object.keys(base.files), Object.keys(target.files)];
  return inOrder(bk) && inOrder(tk) ? walkChanged(base.files, bk, target.files, tk) : lookUpChanged(base.files, bk, target.files, tk);
}

function inOrder(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (!(keys[i - 1] < keys[i])) return false;
  return true;
}

type Files = Readonly<Record<string, Entry>>;

/** Both key lists strictly ascending: one pass, the output already in order. */
function walkChanged(bf: Files, bk: readonly string[], tf: Files, tk: readonly string[]): string[] {
  const out: string[] = [];
  let [i, j] = [0, 0];
  while (i < bk.length || j < tk.length) {
    const [p, q] = [bk[i], tk[j]];
    if (j >= tk.length || (i < bk.length && p < q)) {
      out.push(p); // only the base ships it: removed
      i++;
    } else if (i >= bk.length || q < p) {
      out.push(q); // only the target ships it: added
      j++;
    } else {
      if (!sameEntry(bf[p], tf[q])) out.push(p);
      i++;
      j++;
    }
  }
  return out;
}

/** Any order: one pass over each list (no union set of 24,000 keys); own properties only, none read off a prototype. */
function lookUpChanged(bf: Files, bk: readonly string[], tf: Files, tk: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of bk) if (!Object.hasOwn(tf, p) || !sameEntry(bf[p], tf[p])) out.push(p);
  for (const p of tk) if (!Object.hasOwn(bf, p)) out.push(p);
  return out.sort(comparePaths);
}

/**
 * What the caller must lstat (and hash, for files): the changed paths plus each one's parent folders, because a
 * parent that is a symlink or a file would make a write land elsewhere. Cost follows the update, not the pack.
 */
export function pathsToInspect(base: Manifest, target: Manifest, changed = changedPaths(base, target)): string[] {
  const out = new Set<string>();
  for (const p of changed) {
    out.add(p);
    for (const parent of parentsOf(p)) out.add(parent);
  }
  return [...out].sort(comparePaths);
}

/** What base -> target does to an unmodified path (I = B). */
function asShipped(path: string, before: Observed, b: Entry | undefined, t: Entry | undefined): Decision {
  if (t === undefined) return { path, action: 'remove', before, after: ABSENT };
  if (b === undefined) return { path, action: 'add', before, after: t };
  if (b.kind === 'file' && t.kind === 'file' && b.sha256 === t.sha256) return { path, action: 'chmod', before, after: t };
  return { path, action: 'replace', before, after: t };
}

/** One path where B != T. Returns null when nothing is to be done (already at target, or deleted and removed). */
export function decidePath(path: string, b: Entry | undefined, t: Entry | undefined, i: Observed, parents: Observed[]): Decision | null {
  const conflict = (reason: ConflictReason): Decision => ({ path, action: 'conflict', reason, before: i, base: b ?? null, target: t ?? null });
  // Never write through a symlinked (or file) parent: what lstat saw below it is not inside the pack.
  if (parents.some((p) => p.kind !== 'dir' && p.kind !== 'absent')) return conflict('kind-change');
  if (t === undefined ? i.kind === 'absent' : sameEntry(i, t)) return null;
  if (b === undefined ? i.kind === 'absent' : sameEntry(i, b)) return asShipped(path, i, b, t);
  if (i.kind === 'absent') return t === undefined ? null : conflict('missing-changed');
  if (i.kind === 'dir' || i.kind === 'other') return conflict('kind-change');
  if (b === undefined) return conflict('user-file');
  if (i.kind !== b.kind || (t !== undefined && t.kind !== b.kind)) return conflict('kind-change');
  if (t === undefined) return conflict('removed-customized');
  if (i.kind === 'symlink') return conflict('not-mergeable'); // a re-pointed link the update re-points too
  // All three are files from here on; the target's mode wins wherever its content lands.
  const [fi, fb, ft] = [i as FileEntry, b as FileEntry, t as FileEntry];
  if (sameContent(fi, fb)) return asShipped(path, fi, fb, ft); // only the mode was customized
  if (sameContent(fi, ft)) return { path, action: 'chmod', before: fi, after: { ...fi, mode: ft.mode } };
  if (fb.sha256 === ft.sha256) return { path, action: 'chmod', before: fi, after: { ...fi, mode: ft.mode } };
  return { path, action: 'merge', before: fi, base: fb, target: ft };
}

/**
 * The decision table over every path in base or target whose entries differ; the observed map must cover
 * pathsToInspect. `changed` (= changedPaths(base, target)) may be passed in when the caller has it already.
 */
export function decide(input: { base: Manifest; target: Manifest; observed: ReadonlyMap<string, Observed>; changed?: readonly string[] }): Decision[] {
  const seen = (p: string): Observed => {
    const o = input.observed.get(p);
    if (o === undefined) throw new Error(`planner: ${p} was not observed (the caller must observe pathsToInspect)`);
    return o;
  };
  const out: Decision[] = [];
  const own = (files: Manifest['files'], p: string) => (Object.hasOwn(files, p) ? files[p] : undefined);
  for (const p of input.changed ?? changedPaths(input.base, input.target)) {
    const d = decidePath(p, own(input.base.files, p), own(input.target.files, p), seen(p), parentsOf(p).map(seen));
    if (d !== null) out.push(d);
  }
  return out;
}
