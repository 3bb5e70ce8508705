// Rolling back an update that waits on conflicts (`revert` in the waiting state): nothing was committed, so this is
// no revert plan but an undo of the swap recorded in its journal, run by the one executor under that journal: each
// path it changed gets back what its generation kept, its helpers go. The operator may have edited a
// file the update wrote while deciding, so, as a normal revert does, drift stops the revert (exit 5), or with --force
// the edited files are kept in the revert's own generation, recorded by the commit like any other.
import { UpdateError } from '../core/errors.js';
import type { Observed, RunIdentity } from '../core/model.js';
import { sameEntry } from '../core/pack-compare.js';
import type { Pack } from '../io/pack.js';
import type { Journal } from '../io/pending-run.js';
import { readBaseManifestCopy, readState } from '../io/state.js';
import { observeMany } from '../io/tree.js';
import { HELPER_SUFFIXES } from './from-plan.js';
import { generationDir, type GenerationEntry } from '../io/generations.js';
import { newState, recordOf, restoreSource, revertIdentity, verifyKept } from './generations.js';
import type { ApplyJob, Item } from './job.js';
import { stagedCommit } from './resolve.js';
import { openPack } from '../io/pack.js';

/** Drifted paths that are now folders or special files: a revert moves only files and symlinks aside. */
function refuseOdd(drifted: readonly GenerationEntry[], seen: Map<string, Observed>): void {
  const odd = drifted.filter((e) => !['file', 'symlink'].includes((seen.get(e.path) as Observed).kind)).map((e) => e.path);
  if (odd.length > 0) {
    throw new UpdateError('stale-plan', `${odd.length} path(s) the update wrote are now folders or special files: ${odd.join(', ')}`, {
      paths: odd, hint: 'Move them out of the pack and run revert again; nothing was changed.',
    });
  }
}

/** The job that rolls back the update that waits on conflicts (`j`); an edit to a file it wrote stops it, unless forced. */
export async function rollbackWaitingJob(pack: Pack, j: Journal, opts: { force: boolean; now: Date }): Promise<{ job: ApplyJob; drifted: string[] }> {
  const { home, ops } = pack;
  const written = (await stagedCommit(pack, j)).generation.entries;
  const seen = await observeMany(home, written.map((e) => e.path), 16, ops);
  // The helpers (.original, .new) are the update's scratch files and a .final is the user's own: neither is drift.
  // Drift is what the revert would take out of the pack: neither what the update wrote nor what it replaced (a path
  // the operator put back himself is not drift), nor nothing at all (a deleted file loses no edit).
  const helpers = new Set(j.conflicts.flatMap((c) => HELPER_SUFFIXES.map((s) => `${c.path}${s}`)));
  const lost = (e: GenerationEntry, o: Observed) => !helpers.has(e.path) && o.kind !== 'absent' && !sameEntry(o, e.after) && !sameEntry(o, e.before);
  const drifted = written.filter((e) => lost(e, seen.get(e.path) as Observed)).sort((a, b) => (a.path < b.path ? -1 : 1));
  if (drifted.length > 0 && !opts.force) {
    throw new UpdateError('stale-plan', `${drifted.length} file(s) the waiting update wrote were changed since; rolling it back would lose those edits`, {
      paths: drifted.map((e) => e.path),
      hint: 'Nothing was reverted. Keep copies of your edits and run `wso2update revert --force` (it keeps the edited files in a new generation), or resolve the conflicts and run `apply --continue`.',
    });
  }
  refuseOdd(drifted, seen);
  const kept = generationDir(home, j.generation);
  const items: Item[] = written
    .filter((e) => !sameEntry(seen.get(e.path) as Observed, e.before))
    .map((e) => ({ path: e.path, before: seen.get(e.path) as Observed, after: e.before, source: restoreSource(kept, e.path, e.before), prune: e.created }));
  await verifyKept(ops, items);
  const state = await readState(openPack(home, ops));
  const { id, planDigest } = revertIdentity(state, j.generation, j.fromLevel, j.toLevel);
  const keep = drifted.length > 0;
  // Without drift the pack's record stays as it was (the update never committed); with it, the revert generation
  // that keeps the edits is recorded, the level unchanged.
  const run: RunIdentity = { planDigest, direction: 'revert', product: j.product, fromLevel: j.toLevel, toLevel: j.fromLevel };
  const rec = recordOf(id, run, opts.now.toISOString());
  const next = keep ? newState(state, rec, state.manifestDigest, { level: state.level }) : { state, drop: [] };
  return {
    drifted: drifted.map((e) => e.path),
    job: {
      ...run, generation: id,
      preconditions: Object.fromEntries(items.map((it) => [it.path, it.before])), items, conflicts: [], resumes: j,
      commit: {
        state: next.state, manifest: await readBaseManifestCopy(openPack(home, ops)), drop: [j.generation, ...next.drop], keepOwnGeneration: keep, changelog: null,
        generation: { formatVersion: 1, id, ...run, entries: [] },
      },
    },
  };
}
