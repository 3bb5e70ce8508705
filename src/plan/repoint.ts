// `init --reconfigure`: an adopted pack's recorded repository changes (a new URL, a mirror, an offline bundle), as
// `terraform init -reconfigure` re-points a backend. The trust is kept (the pinned root and the versions seen, so a
// mirror that serves older metadata is refused as a rollback), or re-pinned when a root is given. The new location
// must serve the pack's current level with the very manifest the pack records: anything else is another channel.
// Nothing is recorded until that holds; a re-pinned root is made in a folder of its own and swapped in last.
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { PackState } from '../core/model.js';
import { assertPending } from '../io/pending-run.js';
import { acquireLock, type LockOwner } from '../io/lock.js';
import { assertOwnFolders } from '../io/pack-guard.js';
import { openRepository } from '../channel/open.js';
import { isAdopted, readState, stateDir, writeState } from '../io/state.js';
import { hasPinnedRoot, trustDir, trustedVersions } from '../channel/trust/store.js';
import { packTrust } from '../channel/trust/source.js';
import { openPack } from '../io/pack.js';
import { pinTrust, unpin, type PinRequest } from '../channel/trust/pin.js';

export interface RepointInput {
  home: string;
  repo: string;
  /** null: keep the pack's trust as it is; otherwise pin anew (or --allow-unsigned: trust none). */
  trust: PinRequest | null;
  owner: LockOwner;
}

export interface Repointed {
  state: PackState;
  previous: string;
  repinned: boolean;
  trust: Awaited<ReturnType<typeof trustedVersions>> | null;
}

const nextTrustDir = (home: string): string => join(stateDir(home), 'trust.next');

export async function repoint(input: RepointInput): Promise<Repointed> {
  const { home } = input;
  if (!isAdopted(home)) {
    throw new UpdateError('usage', `${home} is not adopted yet: --reconfigure changes the repository of an adopted pack`, { hint: 'Leave out --reconfigure to adopt it.' });
  }
  assertOwnFolders(home);
  const lock = await acquireLock(home, input.owner);
  try {
    await assertPending(home);
    const state = await readState(home);
    await rm(nextTrustDir(home), { recursive: true, force: true }); // a reconfigure killed before its swap
    let dir: string | null;
    if (input.trust === null) dir = packTrust(openPack(home), state).trustDir ?? null;
    else dir = await pinTrust(home, input.repo, input.trust, nextTrustDir(home));
    try {
      const repo = await openRepository(input.repo, { stagingDir: stateDir(home), ...(dir === null ? {} : { trustDir: dir }) });
      try {
        const { digest } = await repo.manifest(state.product, state.level);
        if (digest !== state.manifestDigest) {
          throw new UpdateError('verification', `${repo.location} serves ${state.product} level ${state.level} with another manifest (sha256 ${digest}) than the one this pack was adopted with (${state.manifestDigest})`, {
            hint: 'It is not a copy of this pack\'s channel (or it was altered). Check the location; nothing was changed.',
          });
        }
        const next: PackState = { ...state, repository: repo.location };
        if (input.trust !== null) {
          if (dir === null) next.allowUnsigned = true;
          else delete next.allowUnsigned;
        }
        if (input.trust !== null) {
          await unpin(home);
          if (dir !== null) await rename(dir, trustDir(home));
        }
        await writeState(home, next);
        return { state: next, previous: state.repository, repinned: input.trust !== null, trust: hasPinnedRoot(trustDir(home)) ? await trustedVersions(trustDir(home)) : null };
      } finally {
        await repo.close?.();
      }
    } finally {
      await rm(nextTrustDir(home), { recursive: true, force: true });
    }
  } finally {
    await lock.release();
  }
}
