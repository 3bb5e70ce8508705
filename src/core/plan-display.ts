// What a plan carries for review only (issue 23): where it was made and by whom, and the text diffs of replaced
// and added text files, so that `show --html` and `show --markdown` can be made anywhere from the plan alone.
// Under the digest (an edited page would not match an approval), and never read by apply: display, not input.
import type { Action } from './model.js';
import { decodeText, isMergeable, replacedByWso2 } from './text.js';
import { unifiedDiff } from './udiff.js';
export type { ApprovalPolicy } from './approval/policy.js';

export interface PlanDisplay {
  /** The pack's host name and absolute path; left out of a portable plan, which is for any identical pack. */
  host?: string;
  packPath?: string;
  /** `user@host` of whoever ran `plan`. */
  madeBy?: string;
  /** Unified diffs of replaced and added text files (path -> diff; base -> target, or /dev/null -> target). */
  textDiffs?: Record<string, string>;
}

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
export function displayDiff(path: string, before: Uint8Array | null, after: Uint8Array, levels: { from: number; to: number }): string | null {
  if (!isMergeable(path) && !replacedByWso2(path)) return null;
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
