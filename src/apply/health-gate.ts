// `apply --health-cmd`: once an update is committed, a check decides whether it stays. A failed check reverts this
// update at once, through the one revert path (plan/revert.ts derives it, apply/revert.ts runs it, as for
// `revert`). The check itself is injected (io/health-check runs it).
import { UpdateError } from '../core/errors.js';
import type { HealthResult } from '../core/health.js';
import type { LockOwner } from '../io/lock.js';
import type { Pack } from '../io/pack.js';
import { readState } from '../io/state.js';
import { lastUpdate } from '../plan/revert.js';
import type { ApplyHooks } from './executor.js';
import { withPackLock } from './pack-lock.js';
import { runRevert, type Reverted } from './revert.js';

export type { Reverted };

/**
 * Reverts the update that made `generation`, and only that one: if the pack moved on in between (another apply
 * took the lock after ours), it refuses rather than undo someone else's update. `force`: the check (a start
 * script) may have rewritten files the update wrote; they are kept in the revert's generation, never lost.
 */
export function revertThisUpdate(pack: Pack, generation: string, opts: { now: Date; owner: LockOwner; hooks?: ApplyHooks }): Promise<Reverted> {
  return withPackLock(pack, opts.owner, async () => {
    const state = await readState(pack);
    const current = lastUpdate(state).id;
    if (current !== generation) {
      throw new UpdateError('busy', `the pack moved on since this apply (its last update is ${current}, not ${generation})`, {
        hint: 'Nothing was reverted; see `wso2update status` and revert by hand if needed.',
      });
    }
    return runRevert(pack, state, { times: 1, force: true, now: opts.now, hooks: opts.hooks });
  });
}

export type HealthVerdict = { healthy: true; check: HealthResult } | { healthy: false; check: HealthResult; reverted: Reverted };

/** Runs the check; on failure reverts. A revert that cannot run says so with its own exit code, naming both. */
export async function healthGate(input: {
  check: () => Promise<HealthResult>;
  onVerdict?: (check: HealthResult) => Promise<void>;
  revert: () => Promise<Reverted>;
  home: string;
  level: number;
}): Promise<HealthVerdict> {
  const check = await input.check();
  await input.onVerdict?.(check);
  if (check.ok) return { healthy: true, check };
  try {
    return { healthy: false, check, reverted: await input.revert() };
  } catch (err) {
    const e = err instanceof UpdateError ? err : new UpdateError('io', (err as Error).message, { cause: err });
    throw new UpdateError(e.code, `the health check failed, and reverting the update did not complete: ${e.message}`, {
      detail: [e.detail, ...check.tail.map((l) => `| ${l}`)].filter(Boolean).join('\n'),
      paths: e.paths,
      hint: `The update is still applied (level ${input.level}). ${e.hint ?? ''} Then run \`wso2update revert --home ${input.home}\`.`.trim(),
      cause: err,
    });
  }
}
