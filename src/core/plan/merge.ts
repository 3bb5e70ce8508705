// Resolves one merge the planner asked for, from the three byte strings the caller read: WSO2's replace-only files
// and binaries become conflicts, text is merged with git merge-file's rules (merge.ts), and a unified diff is kept
// for review.
import type { MergeOutcome } from './build.js';
import { merge3 } from '../merge/merge.js';
import { decodeText, isMergeable, replacedByWso2 } from '../merge/mergeable.js';
import { unifiedDiff } from '../merge/udiff.js';

export interface MergeTexts {
  ours: Uint8Array;
  base: Uint8Array;
  theirs: Uint8Array;
}

/** The outcome decided by the file name alone (so that jars and wars are never read for a merge), or null. */
export function unmergeableByName(path: string): MergeOutcome | null {
  if (isMergeable(path)) return null;
  // isMergeable says no to WSO2's replace-only kinds and to binary kinds alike; the reason tells them apart.
  return { kind: 'unmergeable', reason: replacedByWso2(path) ? 'not-mergeable' : 'binary-customized' };
}

/** `levels` label the markers and diffs: `level 1` (base) and `level 3` (target). */
export function mergeOutcome(path: string, texts: MergeTexts, levels: { base: number; target: number }): MergeOutcome {
  const byName = unmergeableByName(path);
  if (byName) return byName;
  const [ours, base, theirs] = [decodeText(texts.ours), decodeText(texts.base), decodeText(texts.theirs)];
  if (ours === null || base === null || theirs === null) return { kind: 'unmergeable', reason: 'binary-customized' };
  const result = merge3(ours, base, theirs, { ours: 'installed', base: `level ${levels.base}`, theirs: `level ${levels.target}` });
  // A clean merge shows what it does to the user's file; an overlap shows what the update wanted to change.
  const diff = result.clean
    ? unifiedDiff(ours, result.text, { fromLabel: `${path} (installed)`, toLabel: `${path} (merged)`, context: 3 })
    : unifiedDiff(base, theirs, { fromLabel: `${path} (level ${levels.base})`, toLabel: `${path} (level ${levels.target})`, context: 3 });
  return { kind: 'text', clean: result.clean, merged: result.text, ...(result.ambiguous ? { ambiguous: true } : {}), ...(diff === '' ? {} : { diff }) };
}
