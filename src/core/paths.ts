// Validation of the relative paths that every format carries (manifests, plans, journals, bundles).
// A hostile path is an error, never a write: callers validate at the boundary and again before any write.

import { UpdateError } from './errors.js';
import { quote } from './quote.js';

/**
 * The spelling a case-insensitive, normalizing file system (macOS, Windows) stores: NFC, then lower case. ASCII
 * paths (nearly all) skip the normalization.
 */
export function foldPath(p: string): string {
  // eslint-disable-next-line no-control-regex
  return (/^[\x00-\x7f]*$/.test(p) ? p : p.normalize('NFC')).toLowerCase();
}

/**
 * Ordinary paths: segments of anything but `/`, `\\` and NUL that do not start with a dot, the first without a drive
 * colon. Such a path has none of the problems below, so it is accepted after one regex test instead of a split
 * (manifests carry 12,000 paths). Anything else, dot files included, takes the full check.
 */
const ORDINARY = /^[^/\\\0.:][^/\\\0:]*(?:\/[^/\\\0.][^/\\\0]*)*$/;
export const MAX_SEGMENT_BYTES = 255;
/** A segment of 86 or more characters may exceed the 255-byte name limit in UTF-8 (3 bytes each): measured exactly. */
const MAX_SAFE_SEGMENT = 85;

/**
 * Whether some segment is longer than MAX_SAFE_SEGMENT characters: one pass over the separators. (A regex did this
 * before, `/[^/]{86}/`, tried at every position of every path and backtracking up to 86 characters each time: the
 * hottest function of apply, issue 22.)
 */
function hasLongSegment(p: string): boolean {
  if (p.length <= MAX_SAFE_SEGMENT) return false;
  let start = 0;
  for (let slash = p.indexOf('/'); slash !== -1; slash = p.indexOf('/', start)) {
    if (slash - start > MAX_SAFE_SEGMENT) return true;
    start = slash + 1;
  }
  return p.length - start > MAX_SAFE_SEGMENT;
}

/** Why `p` is not an acceptable pack-relative path, or null when it is. */
export function pathProblem(p: unknown): string | null {
  if (typeof p !== 'string') return 'is not a string';
  if (p.length <= 4096 && ORDINARY.test(p) && !hasLongSegment(p)) return null;
  if (p.length === 0) return 'is empty';
  if (p.length > 4096) return 'is longer than 4096 characters';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash (paths are /-separated)';
  if (p.startsWith('/')) return 'is absolute';
  if (/^[A-Za-z]:/.test(p)) return 'is a drive path';
  if (p.endsWith('/')) return 'ends with /';
  for (const seg of p.split('/')) {
    if (seg === '') return 'has an empty segment (//)';
    if (seg === '.') return 'has a "." segment (not normalized)';
    if (seg === '..') return 'has a ".." segment (escapes the pack)';
    if (seg.length > MAX_SAFE_SEGMENT && new TextEncoder().encode(seg).length > MAX_SEGMENT_BYTES) return `has a name longer than ${MAX_SEGMENT_BYTES} bytes (no file system stores it)`;
  }
  return null;
}

export function assertSafePath(p: unknown, where: string): asserts p is string {
  const problem = pathProblem(p);
  if (problem !== null) {
    throw new UpdateError('hostile-path', `${where}: path ${quote(p)} ${problem}`, {
      hint: 'The file was not written by a trustworthy wso2update; nothing was changed. Re-create it from a trusted source.',
    });
  }
}

/**
 * Checks a whole list of paths: each safe, no duplicates, and no two that differ only in case or Unicode
 * normalization (they collide on case-insensitive or normalizing file systems). Returns those twins so that
 * callers may report them as warnings.
 */
export function checkPathSet(paths: Iterable<string>, where: string): { caseCollisions: [string, string][] } {
  return { caseCollisions: caseTwins(paths, (p) => assertSafePath(p, where), where) };
}

/**
 * The pairs of `paths` that differ only in case or Unicode normalization, first spelling first, in the order met;
 * `each` runs on every path before it is folded (checkPathSet's path rules). One map keyed by the folded path holds
 * every spelling seen (almost always just one), so the same path twice is caught too.
 */
export function caseTwins(paths: Iterable<string>, each?: (p: string) => void, where = 'the list'): [string, string][] {
  const folded = new Map<string, string | string[]>();
  const twins: [string, string][] = [];
  for (const p of paths) {
    each?.(p);
    const f = foldPath(p);
    const seen = folded.get(f);
    if (seen === undefined) {
      folded.set(f, p);
      continue;
    }
    const spellings = typeof seen === 'string' ? [seen] : seen;
    if (spellings.includes(p)) throw new UpdateError('invalid-input', `${where}: path ${quote(p)} is listed twice`);
    twins.push([spellings[0], p]);
    folded.set(f, [...spellings, p]);
  }
  return twins;
}

/**
 * caseTwins of the keys of one object (no key repeats), with the map of every folded path built only when some key
 * can have a twin: one whose folded spelling is not itself and is another key, or the folded spelling of another
 * such key (of two keys that fold alike, at most one is its own folded spelling). A manifest almost never has twins:
 * then this costs a fold per key and no map (issue 22: the map of 48,000 paths was most of checking a target).
 */
export function keyTwins(keys: readonly string[], isKey: (p: string) => boolean): [string, string][] {
  const unfolded = new Set<string>();
  for (const p of keys) {
    const f = foldPath(p);
    if (f === p) continue;
    if (isKey(f) || unfolded.has(f)) return caseTwins(keys);
    unfolded.add(f);
  }
  return [];
}

/** Parents of a relative path, nearest last: `a/b/c` -> [`a`, `a/b`]. */
export function parentsOf(p: string): string[] {
  const out: string[] = [];
  for (let slash = p.indexOf('/'); slash !== -1; slash = p.indexOf('/', slash + 1)) out.push(p.slice(0, slash));
  return out;
}

/** The folder holding `p` (`a/b` for `a/b/c`), or null at the top. */
export function parentOf(p: string): string | null {
  const slash = p.lastIndexOf('/');
  return slash === -1 ? null : p.slice(0, slash);
}

/** Whether `p` is under one of the runtime excludes (`dir/` prefixes or exact names). */
export function isExcluded(p: string, excludes: readonly string[]): boolean {
  // No slice per test: this runs for every entry of every manifest read (issue 22).
  return excludes.some((e) => (e.endsWith('/') ? p.startsWith(e) || (p.length === e.length - 1 && e.startsWith(p)) : p === e));
}

/** Code-unit order, the one order every sorted list in our formats uses (locale-free, so digests are stable). */
export function comparePaths(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
