// The review side of a plan (issue 23): the display diffs a plan carries (the PlanDisplay type is the model's),
// and the grouping of many files by folder that the review page and the ticket's budget summarise with.
import type { Action, PlanDisplay } from './model.js';
import { decodeText, isMergeable, replacedByWso2 } from './merge/mergeable.js';
import { unifiedDiff } from './merge/udiff.js';
export type { ApprovalPolicy } from './approval/policy.js';
export type { PlanDisplay } from './model.js';


/** Binaries grouped by folder, for a page that summarises 1,500 jars instead of listing them: count and bytes. */
export interface FolderGroup { folder: string; count: number; bytes: number; paths: string[] }

export function groupByFolder(actions: readonly Action[]): FolderGroup[] {
  const groups = new Map<string, FolderGroup>();
  for (const a of actions) {
    const folder = a.path.includes('/') ? a.path.slice(0, a.path.lastIndexOf('/')) : '.';
    const g = groups.get(folder) ?? { folder, count: 0, bytes: 0, paths: [] };
    g.count++;
    g.bytes += a.after.kind === 'file' ? a.after.size : 0;
    g.paths.push(a.path);
    groups.set(folder, g);
  }
  return [...groups.values()].sort((x, y) => (x.folder < y.folder ? -1 : x.folder > y.folder ? 1 : 0));
}

/** A text file bigger than this gets no diff in the plan (the page says so); a plan stays a file one can mail. */
export const DIFF_SOURCE_MAX = 1024 * 1024;
/** All the display diffs of one plan together stay under this; the rest of the files are listed without diffs. */
export const DISPLAY_DIFFS_MAX = 8 * 1024 * 1024;

/**
 * The review diff of a replaced or added file (`before` null: added), or null when either side is binary by the
 * merge's rule, a binary kind by name, or too large to carry. Labels name the levels, as merge diffs do.
 */
/** Whether a path may get a review diff by its name alone (not a jar, keystore, image...): nothing is read otherwise. */
export const isDiffableName = (path: string): boolean => isMergeable(path) || replacedByWso2(path);

export function displayDiff(path: string, before: Uint8Array | null, after: Uint8Array, levels: { from: number; to: number }): string | null {
  if (!isDiffableName(path)) return null;
  if (after.length > DIFF_SOURCE_MAX || (before?.length ?? 0) > DIFF_SOURCE_MAX) return null;
  const b = decodeText(after);
  const a = before === null ? '' : decodeText(before);
  if (a === null || b === null) return null;
  return unifiedDiff(a, b, { fromLabel: before === null ? '/dev/null' : `${path} (level ${levels.from})`, toLabel: `${path} (level ${levels.to})`, context: 3 });
}

/** Adds diffs in path order until DISPLAY_DIFFS_MAX; returns what fits (the rest are shown as files without diffs). */
export function collectDiffs(diffs: Iterable<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  let total = 0;
  for (const [path, d] of diffs) {
    if (total + d.length > DISPLAY_DIFFS_MAX) continue;
    total += d.length;
    out[path] = d;
  }
  return out;
}
