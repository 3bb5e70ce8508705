// What is checked before a job writes anything: every precondition re-observed (a mismatch is a stale plan naming
// the drifted paths) and the free space staging needs. Both refuse with nothing changed.
import { UpdateError } from '../core/errors.js';
import type { Observed } from '../core/model.js';
import { sameEntry } from '../core/verify.js';
import type { FsOps } from '../io/fsops.js';
import { stateDir } from '../io/state.js';
import { observeMany } from '../io/tree.js';
import type { Item } from './job.js';
import { sourceBytes } from './stage.js';

/** Re-observes every precondition; any mismatch is a stale plan naming the drifted paths (nothing written). */
export async function checkPreconditions(ops: FsOps, home: string, pre: Record<string, Observed>): Promise<void> {
  const seen = await observeMany(home, Object.keys(pre), 16, ops);
  const drifted = [...seen].filter(([p, o]) => !sameEntry(o, pre[p])).map(([p]) => p);
  if (drifted.length > 0) {
    throw new UpdateError('stale-plan', `the pack changed since the plan was made: ${drifted.length} path(s) are not as planned`, {
      paths: drifted, hint: 'Plan again (`wso2update plan`) and review the new plan; nothing was changed.',
    });
  }
}

export async function checkFreeSpace(ops: FsOps, home: string, items: readonly Item[]): Promise<void> {
  const need = items.reduce((n, it) => n + (it.source?.kind === 'copy' && it.source.link ? 0 : sourceBytes(it.source)), 0);
  const free = await ops.freeBytes(stateDir(home));
  if (need + (16 << 20) > free) {
    throw new UpdateError('io', `not enough disk space to stage the update: ${need} bytes needed, ${free} free`, {
      hint: `Free space on the file system of ${home} and run again; nothing was changed.`,
    });
  }
}
