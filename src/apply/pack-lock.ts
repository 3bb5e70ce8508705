// The pack's lock around a run: apply, revert, `apply --continue`, recover and the health gate's revert all change
// the pack only inside withPackLock, so the order of its checks (own folders, adopted, lock, product stopped, what
// the journal says) is written once.
import { UpdateError } from '../core/errors.js';
import { acquireLock, assertNotRunning, type LockOwner } from '../io/lock.js';
import { assertOwnFolders } from '../io/pack-guard.js';
import type { Pack } from '../io/pack.js';
import { assertPending, type JournalStatus, type Pending } from '../io/pending-run.js';

/**
 * Runs `fn` holding the pack's lock, with the product stopped, if what the journal says (journalStatus) is one of
 * `allow`; `fn` gets that answer, read under the lock, and the pack. The tool's own folders are checked first: the
 * lock is the run's first write, and it must not land outside the pack.
 */
export async function withPackLock<T>(pack: Pack, owner: LockOwner, fn: (pending: JournalStatus, pack: Pack) => Promise<T>, allow: readonly Pending[] = ['none']): Promise<T> {
  const { home, ops } = pack;
  assertOwnFolders(home);
  if ((await ops.lstat(pack.paths.own)) === null) {
    throw new UpdateError('not-found', `${home} is not adopted by wso2update (no updates/wso2update)`, { hint: `Adopt the pack first: \`wso2update init --home ${home} --repo <repository>\`` });
  }
  const lock = await acquireLock(pack, owner);
  try {
    await assertNotRunning(home, owner);
    return await fn(await assertPending(pack, allow), pack);
  } finally {
    await lock.release();
  }
}
