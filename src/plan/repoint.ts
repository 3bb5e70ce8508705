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
import { isAdopted, readState, writeState } from '../io/state.js';
import { hasPinnedRoot, trustedVersions } from '../channel/trust/store.js';
import { packTrust } from '../channel/trust/source.js';
import type { Pack } from '../io/pack.js';
import { pinTrust, unpin, type PinRequest } from '../channel/trust/pin.js';

export interface RepointInput {
  pack: Pack;
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

const nextTrustDir = (pack: Pack): string => join(pack.paths.own, 'trust.next');

export async function repoint(input: RepointInput): Promise<Repointed> {
  const { pack } = input;
  const { home } = pack;
  if (!isAdopted(pack)) {
    throw new UpdateError('usage', `${home} is not adopted yet: --reconfigure changes the repository of an adopted pack`, { hint: 'Leave out --reconfigure to adopt it.' });
  }
  assertOwnFolders(home);
  const lock = await acquireLock(pack, input.owner);
  try {
    await assertPending(pack);
    const state = await readState(pack);
    await rm(nextTrustDir(pack), { recursive: true, force: true }); // a reconfigure killed before its swap
    let dir: string | null;
    if (input.trust === null) dir = packTrust(pack, state).trustDir ?? null;
    else dir = await pinTrust(pack, input.repo, input.trust, nextTrustDir(pack));
    try {
      const repo = await openRepository(input.repo, { stagingDir: pack.paths.own, ...(dir === null ? {} : { trustDir: dir }) });
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
          await unpin(pack);
          if (dir !== null) await rename(dir, pack.paths.trust);
        }
        await writeState(pack, next);
        return { state: next, previous: state.repository, repinned: input.trust !== null, trust: hasPinnedRoot(pack.paths.trust) ? await trustedVersions(pack.paths.trust) : null };
      } finally {
        await repo.close?.();
      }
    } finally {
      await rm(nextTrustDir(pack), { recursive: true, force: true });
    }
  } finally {
    await lock.release();
  }
}
