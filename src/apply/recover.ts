// `recover`: finish what a crash or kill left. A journal means the commit point (its deletion) was not reached, so
// the swap is rolled back; an interrupted end of a wait (`apply --continue`, a revert) goes back to waiting. Without a journal it
// only sweeps leftovers of a run killed before its journal existed (staging, a generation no state names).
import { join } from 'node:path';
import { guardFs } from '../io/pack-guard.js';
import { withOps, type Pack } from '../io/pack.js';
import { journalStatus } from '../io/pending-run.js';
import { readState } from '../io/state.js';
import { backToWaiting, rollBack, withRollbackErrors } from './rollback.js';
import { layoutOf } from './steps.js';
import { checkJournal } from './record-check.js';
import { UpdateError } from '../core/errors.js';
import { openPack, packPaths } from '../io/pack.js';

export interface RecoverOutcome {
  outcome: 'nothing' | 'rolled-back' | 'waiting';
  /** Leftover folders removed. */
  swept: string[];
  conflicts: string[];
}

async function sweep({ home, ops }: Pack): Promise<string[]> {
  const swept: string[] = [];
  const dir = packPaths(home).own;
  if ((await ops.lstat(join(dir, 'staging'))) !== null) {
    await ops.rmTree(join(dir, 'staging'));
    swept.push('staging');
  }
  const gens = join(dir, 'generations');
  if ((await ops.lstat(gens)) === null) return swept;
  const known = new Set((await readState(openPack(home, ops))).generations.map((g) => g.id));
  for (const id of await ops.readdir(gens)) {
    if (known.has(id)) continue;
    await ops.rmTree(join(gens, id));
    swept.push(`generations/${id}`);
  }
  return swept;
}

export async function recover(pack: Pack): Promise<RecoverOutcome> {
  const { home } = pack;
  const ops = guardFs(home, pack.ops);
  const guarded = withOps(pack, ops);
  const pending = await journalStatus(guarded);
  if (pending.problem !== undefined) throw pending.problem;
  const j = pending.journal;
  if (j === null) return { outcome: 'nothing', swept: await sweep(guarded), conflicts: [] };
  const l = layoutOf(home, j.generation);
  await checkJournal(ops, l, j);
  const conflicts = j.conflicts.map((c) => c.path);
  if (j.phase === 'awaiting-resolution') return { outcome: 'waiting', swept: [], conflicts };
  if (j.phase === 'resolving') {
    const errors = await backToWaiting(ops, layoutOf(home, j.resolveGeneration ?? j.generation), j, j.resolveSteps);
    if (errors.length > 0) throw withRollbackErrors(new UpdateError('io', 'could not undo the interrupted end of the wait (`apply --continue` or revert)'), errors, home);
    return { outcome: 'waiting', swept: [], conflicts };
  }
  const errors = await rollBack(ops, l, j.steps);
  if (errors.length > 0) throw withRollbackErrors(new UpdateError('io', 'could not finish rolling back the interrupted update'), errors, home);
  return { outcome: 'rolled-back', swept: [], conflicts: [] };
}
