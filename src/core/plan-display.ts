// What a plan carries for review only (issue 23): where it was made and by whom, and the text diffs of replaced
// and added text files, so that `show --html` and `show --markdown` can be made anywhere from the plan alone.
// Under the digest (an edited page would not match an approval), and never read by apply: display, not input.
import type { Action } from './model.js';
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
