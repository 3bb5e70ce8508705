// What is checked before a job writes anything: every precondition re-observed (a mismatch is a stale plan naming
// the drifted paths) and the free space staging needs. Both refuse with nothing changed.
import { UpdateError } from '../core/errors.js';
import type { Observed } from '../core/model.js';
import { sameEntry } from '../core/pack-compare.js';
import { comparePaths } from '../core/paths.js';
import type { Pack } from '../io/pack.js';
import { observeMany } from '../io/tree.js';
import type { Item } from './job.js';
import { sourceBytes } from './stage.js';

/**
 * Re-observes every precondition; any mismatch is a stale plan naming the drifted paths (nothing written). `seen`:
 * paths this run already observed under the same lock with nothing written since (apply's re-derivation hashes
 * every precondition of the plan moments before): those are compared as seen instead of hashed a second time.
 */
export async function checkPreconditions({ home, ops }: Pack, pre: Record<string, Observed>, seen?: ReadonlyMap<string, Observed>): Promise<void> {
  const fresh = await observeMany(home, Object.keys(pre).filter((p) => !seen?.has(p)), 16, ops);
  const now = (p: string) => fresh.get(p) ?? (seen?.get(p) as Observed);
  const drifted = Object.keys(pre).filter((p) => !sameEntry(now(p), pre[p])).sort(comparePaths);
  if (drifted.length > 0) {
    throw new UpdateError('stale-plan', `the pack changed since the plan was made: ${drifted.length} path(s) are not as planned`, {
      paths: drifted, hint: 'Plan again (`wso2update plan`) and review the new plan; nothing was changed.',
    });
  }
}

/** Kept free beyond the staged files: the journal, generation records, state and logs are written after staging. */
export const FREE_SPACE_MARGIN = 16 << 20;

const mb = (n: number): string => `${(n / 1_000_000).toFixed(1)} MB`;

export async function checkFreeSpace({ home, ops, paths }: Pack, items: readonly Item[]): Promise<void> {
  const files = items.reduce((n, it) => n + (it.source?.kind === 'copy' && it.source.link ? 0 : sourceBytes(it.source)), 0);
  const need = files + FREE_SPACE_MARGIN;
  const free = await ops.freeBytes(paths.own);
  if (need > free) {
    // The need said is the one compared, margin included: "150107831 needed, 159850496 free" read as a bug.
    throw new UpdateError('io', `not enough disk space to stage the update: it needs ${mb(need)} (${mb(files)} of new files plus a ${mb(FREE_SPACE_MARGIN)} margin) and ${mb(free)} is free`, {
      detail: `needed ${need} bytes, free ${free} bytes, on the file system of ${paths.own}`,
      hint: `Free at least ${mb(need - free)} on the file system of ${home} and run again; nothing was changed.`,
    });
  }
}
