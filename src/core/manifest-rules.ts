// What a manifest may ship, beyond its schema: what no operator would accept from an update channel. Checked where a
// manifest is read (validate.ts) and where one is made (publish), so a repository can never install it:
// - modes 0644 and 0755 only (the README's promise; a 0777 config or a 0000 jar is refused, naming it);
// - no path under updates/ (the tool's own state) or the runtime paths publish leaves out (wso2carbon.pid, logs, ...);
// - symlink targets relative and inside the pack, resolved from the link's own folder;
// - no entry below another entry (a path whose parent the same manifest ships as a file or symlink).
import { UpdateError } from './errors.js';
import type { Entry, Manifest } from './model.js';
import { RUNTIME_EXCLUDES } from './model.js';
import { comparePaths, isExcluded, parentOf } from './paths.js';
import { quote } from './quote.js';

export const MODES: readonly string[] = ['0644', '0755'];

/**
 * The identity of what reading a manifest checks (its schema, paths and these rules): a pack keeps verdicts on the
 * manifests it has read (channel/checked-manifests.ts) under this and the tool version. Bump it with any change to those
 * checks, so that no verdict of the old checks stands for the new ones.
 */
export const MANIFEST_CHECKS = '1';

/**
 * `files` (read where there are no modes) with each file's mode from `prev`, the level before, where it shipped a
 * file at that path, else 0644: a level published from Windows must not take the exec bit off every start script.
 */
export function modesFrom(prev: Readonly<Record<string, Entry>> | null, files: Record<string, Entry>): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  for (const [p, e] of Object.entries(files)) {
    const before = prev && Object.hasOwn(prev, p) ? prev[p] : undefined;
    out[p] = e.kind === 'file' ? { ...e, mode: before?.kind === 'file' ? before.mode : '0644' } : e;
  }
  return out;
}

/**
 * A manifest as a file system without POSIX modes sees it: every file 0644, which is how Windows reads every file
 * (0666 or 0444, never an exec bit). Planning and checking against this view plans no chmod that cannot take effect,
 * and a file the update wrote reads back as written, so revert needs no --force. Only the comparisons use it: the
 * pack's record keeps the signed manifest (and its digest) as published.
 */
export function withoutModes(m: Manifest): Manifest {
  const files: Record<string, Entry> = {};
  for (const [p, e] of Object.entries(m.files)) files[p] = e.kind === 'file' && e.mode !== '0644' ? { ...e, mode: '0644' } : e;
  return { ...m, files };
}

/** Why a symlink at `path` pointing at `target` would lead out of the pack, or null. */
export function linkTargetProblem(path: string, target: string): string | null {
  if (target.includes('\0')) return 'contains a NUL character';
  if (target.startsWith('/') || /^[A-Za-z]:/.test(target) || target.includes('\\')) return 'is absolute (or a drive or backslash path)';
  let depth = path.split('/').length - 1; // the link's folder, counted from the pack's root
  for (const seg of target.split('/')) {
    if (seg === '..') depth -= 1;
    else if (seg !== '.' && seg !== '') depth += 1;
    if (depth < 0) return 'climbs out of the pack';
  }
  return null;
}

/**
 * The nearest folder above `path` that the manifest ships as a file or symlink, or null. `clear` holds the folders
 * already found to have no such folder above them (a manifest's 12,000 paths share a few hundred folders), so each
 * folder is looked up once per manifest instead of once per path below it.
 */
function shippedAbove(path: string, files: Record<string, Entry>, clear: Set<string>): string | null {
  const walked: string[] = [];
  let hit: string | null = null;
  for (let dir = parentOf(path); dir !== null && !clear.has(dir); dir = parentOf(dir)) {
    if (Object.hasOwn(files, dir)) hit = dir;
    walked.push(dir);
  }
  if (hit === null) for (const dir of walked) clear.add(dir);
  return hit;
}

/** Every problem of one entry, or null (the path itself already passed pathProblem). */
function entryProblem(path: string, e: Entry, files: Record<string, Entry>, clear: Set<string>): string | null {
  if (isExcluded(path, RUNTIME_EXCLUDES)) return 'is runtime data or the tool\'s own state (updates/), which no manifest ships';
  if (e.kind === 'file' && !MODES.includes(e.mode)) return `has mode ${quote(e.mode)}; manifests ship 0644 or 0755 only`;
  if (e.kind === 'symlink') {
    const why = linkTargetProblem(path, e.target);
    if (why !== null) return `is a symlink whose target ${quote(e.target)} ${why}`;
  }
  const above = shippedAbove(path, files, clear);
  if (above !== null) return `is inside ${quote(above)}, which the manifest ships as a ${files[above].kind}`;
  return null;
}

/** Throws (exit 1) at the first entry no update may ship, naming it; `where` names the manifest. */
export function assertManifestRules(files: Record<string, Entry>, where: string, opts: { hint?: string } = {}): void {
  const bad: string[] = [];
  const clear = new Set<string>();
  for (const [path, e] of Object.entries(files)) {
    const why = entryProblem(path, e, files, clear);
    if (why !== null) bad.push(`${quote(path)} ${why}`);
  }
  if (bad.length === 0) return;
  throw new UpdateError('invalid-input', `${where}: ${bad[0]}${bad.length > 1 ? ` (and ${bad.length - 1} more)` : ''}`, {
    detail: bad.length > 1 ? bad.slice(0, 20).join('\n') : undefined,
    hint: opts.hint ?? 'The level ships what no operator would accept; nothing was changed. Publish the level again from a clean tree.',
  });
}

/**
 * Whether `files` passes assertManifestRules, proven from `before`, a manifest that passed them, without looking at
 * the entries `before` ships alike: `changed` names every path of `files` whose entry `before` does not have or has
 * otherwise. The per-entry rules (runtime paths, modes, link targets) hold for an entry that passed them before; an
 * entry below a file or symlink has either a changed entry below (entryProblem finds its folder) or an unchanged one
 * below a path `before` did not ship (the lookup in `sorted`, every path of `files` in code-unit order: an entry
 * below a path that `before` ships as a file or symlink would have failed `before`). False means only "not proven":
 * the caller then runs assertManifestRules, the one that names the problem.
 */
export function rulesHoldOver(files: Record<string, Entry>, changed: readonly string[], before: Readonly<Record<string, Entry>>, sorted: readonly string[]): boolean {
  const clear = new Set<string>();
  for (const p of changed) {
    if (entryProblem(p, files[p], files, clear) !== null) return false;
    if (!Object.hasOwn(before, p) && hasPathBelow(sorted, p)) return false;
  }
  return true;
}

/** Whether some path in `sorted` (code-unit order) lies below `dir`: a binary search for the first at or after `dir/`. */
function hasPathBelow(sorted: readonly string[], dir: string): boolean {
  const prefix = `${dir}/`;
  let [lo, hi] = [0, sorted.length];
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (comparePaths(sorted[mid], prefix) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < sorted.length && sorted[lo].startsWith(prefix);
}
