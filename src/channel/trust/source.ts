// How a pack trusts its repository: the root pinned at init (updates/wso2update/trust/), or, only when init was
// given --allow-unsigned (recorded in state.json), none. A pack with neither is refused before anything is read.
import { UpdateError } from '../../core/errors.js';
import type { PackState } from '../../core/model.js';
import type { Pack } from '../../io/pack.js';
import { hasPinnedRoot } from './store.js';

export function packTrust(pack: Pack, state: Pick<PackState, 'allowUnsigned'>): { trustDir?: string } {
  const dir = pack.paths.trust;
  if (hasPinnedRoot(dir)) return { trustDir: dir };
  if (state.allowUnsigned) return {};
  throw new UpdateError('verification', `this pack has no pinned trust root (${dir}/root.json) and was not adopted with --allow-unsigned`, {
    hint: 'Restore updates/wso2update/trust/ from a backup, or adopt the pack again with `init --trust-root ROOT.json`.',
  });
}
