// `revert-hotfix`: undo the most recent hotfix, by the ordinary revert (same journal, same checks, exit 4). It only
// differs in what it refuses: the generation revert would undo must be a hotfix's, so that a level update applied
// after the hotfix is never undone by a command that names hotfixes.
import { lastUpdate } from '../../plan/revert.js';
import { UpdateError } from '../../core/errors.js';
import { journalStatus } from '../../io/pending-run.js';
import { readState, resolveHome } from '../../io/state.js';
import type { CommandRun } from '../context.js';
import { run as revert } from './revert.js';
import { openPack } from '../../io/pack.js';

export const run: CommandRun = async (ctx, args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  const state = await readState(openPack(home));
  if ((await journalStatus(openPack(home))).pending === 'waiting') {
    throw new UpdateError('usage', 'an apply waits for its conflicts; revert-hotfix undoes only a committed hotfix', {
      hint: 'Nothing was changed. Finish it (`wso2update apply --continue`) or roll it back (`wso2update revert`).',
    });
  }
  const fixes = state.hotfixes ?? [];
  if (fixes.length === 0) throw new UpdateError('usage', 'nothing to revert: no hotfix is applied to this pack', { hint: 'Nothing was changed. `wso2update status` lists the applied hotfixes.' });
  const last = lastUpdate(state);
  if (!last.hotfix) {
    throw new UpdateError('usage', `the most recent change (generation ${last.id}, level ${last.fromLevel} -> ${last.toLevel}) is not a hotfix; revert-hotfix undoes only a hotfix`, {
      hint: 'Nothing was changed. To undo that update, run `wso2update revert`; then revert-hotfix undoes the hotfix below it.',
    });
  }
  ctx.stderr.write(`${opts.dryRun ? 'Would revert' : 'Reverting'} hotfix ${last.hotfix} (generation ${last.id}).\n`);
  return revert(ctx, args, { ...opts, toLevel: undefined });
};
