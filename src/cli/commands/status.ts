// `status` (WSO2's `current-state`): level, lineage, kept generations, an unfinished run; `--verify` hashes the
// whole pack against the base manifest (at disk speed) to list customized and missing files. It still reports on a
// pack with a journal (that is when people need it most), but exits as every other command would: 3 while
// conflicts wait, 6 after an interrupted run, so scripts cannot mistake either for a healthy pack.
import { EXIT } from '../../core/errors.js';
import { verifyAgainst, type VerifyReport } from '../../core/pack-compare.js';
import { journalStatus } from '../../io/pending-run.js';
import type { Pack } from '../../io/pack.js';
import { readBaseManifest, readState, resolveHome } from '../../io/state.js';
import { scanTree } from '../../io/tree.js';
import { renderStatus } from '../../ui/status.js';
import { packOf, type CommandRun } from '../context.js';
import { print } from '../print.js';
import { hasPinnedRoot, trustedVersions } from '../../channel/trust/store.js';
import { modesAsSeen } from '../../io/platform.js';

async function pendingWork(pack: Pack): Promise<{ text: string; code: number } | null> {
  const s = await journalStatus(pack);
  if (s.pending === 'none') return null;
  return s.pending === 'waiting'
    ? { code: EXIT.conflicts, text: 'an update waits for its conflicts: write each <file>.final (or an empty <file>.absent for no file), then run `wso2update apply --continue` (or `wso2update revert` to undo that update)' }
    : { code: EXIT.busy, text: `an interrupted run left a journal (phase ${s.phase}): run \`wso2update recover\`` };
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const pack = packOf(ctx, opts);
  const { home } = pack;
  const state = await readState(pack);
  const pending = await pendingWork(pack);
  let report: VerifyReport | null = null;
  if (opts.verify) report = verifyAgainst(modesAsSeen(await readBaseManifest(pack)), await scanTree(home));
  const trust = hasPinnedRoot(pack.paths.trust) ? await trustedVersions(pack.paths.trust) : null;
  print(ctx, renderStatus({ prog: ctx.prog, shell: ctx.shell, home }, state, pending?.text ?? null, report, trust, Boolean(opts.json)));
  return pending?.code ?? EXIT.ok;
};
