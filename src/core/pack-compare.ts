// Compares what is installed with a manifest: which shipped paths are customized, missing, or as shipped, and how
// many user files sit beside them. Used by init (what is already customized) and `status --verify`.
import type { Entry, Manifest, Observed } from './model.js';
import { comparePaths } from './paths.js';

export interface VerifyReport {
  shipped: number;
  unchanged: number;
  /** Shipped paths whose content, mode or kind differs from the manifest. */
  customized: string[];
  /** Shipped paths not on disk. */
  missing: string[];
  /** Paths on disk the manifest does not list (never touched by the tool). */
  userFiles: string[];
}

/** Same content, mode and kind. A symlink matches on its link text only. */
export function sameEntry(a: Observed | Entry, b: Observed | Entry): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === 'file' && b.kind === 'file') return a.sha256 === b.sha256 && a.size === b.size && a.mode === b.mode;
  if (a.kind === 'symlink' && b.kind === 'symlink') return a.target === b.target;
  return true;
}

/** Same bytes, whatever the mode (a mode-only difference is a chmod, not a customization of content). */
export function sameContent(a: Observed | Entry, b: Observed | Entry): boolean {
  if (a.kind === 'file' && b.kind === 'file') return a.sha256 === b.sha256;
  return sameEntry(a, b);
}

export function verifyAgainst(manifest: Manifest, installed: ReadonlyMap<string, Entry>): VerifyReport {
  const customized: string[] = [];
  const missing: string[] = [];
  let unchanged = 0;
  for (const [path, entry] of Object.entries(manifest.files)) {
    const seen = installed.get(path);
    if (!seen) missing.push(path);
    else if (sameEntry(seen, entry)) unchanged += 1;
    else customized.push(path);
  }
  const userFiles = [...installed.keys()].filter((p) => !(p in manifest.files));
  return {
    shipped: Object.keys(manifest.files).length,
    unchanged,
    customized: customized.sort(comparePaths),
    missing: missing.sort(comparePaths),
    userFiles: userFiles.sort(comparePaths),
  };
}
