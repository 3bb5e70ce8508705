// Running a revert plan (made by plan/revert.ts) with the one executor: the plan's actions become items restored
// from the kept generations (hard-linked from files/<path>, folders the updates created pruned), the changelogs
// and records return to what they were, and the whole chain commits at once, or not at all. `revert`, `apply FILE`
// of a revert plan and the health gate all come here; a reviewed plan is first re-derived and must be equal.
import { changelogName } from '../core/changelog.js';
import { UpdateError } from '../core/errors.js';
import type { GenerationRecord, Observed, PackState, Plan, RunIdentity } from '../core/model.js';
import { comparePaths } from '../core/paths.js';
import { sameEntry } from '../core/pack-compare.js';
import { generationDir, keptFile, keptStateRel, type GenerationFile } from '../io/generations.js';
import { withOps, type Pack } from '../io/pack.js';
import { guardFs } from '../io/pack-guard.js';
import { assertPending } from '../io/pending-run.js';
import { readState } from '../io/state.js';
import { observeMany } from '../io/tree.js';
import { parseJsonFile } from '../io/validate.js';
import type { LockOwner } from '../io/lock.js';
import { chainRecords, deriveRevert, type RevertDerivation } from '../plan/revert.js';
import { runJob, type ApplyHooks, type ApplyOutcome } from './executor.js';
import { newState, recordOf, restoreSource, revertIdentity, verifyKept } from './generations.js';
import type { ApplyJob, Item } from './job.js';
import { withPackLock } from './pack-lock.js';
import { checkJournal } from './record-check.js';
import { rollbackWaitingJob } from './rollback-waiting.js';
import { layoutOf } from './steps.js';

export type Reverted = ApplyOutcome & { drifted: string[] };

/** The changelog an undone update wrote goes back to the copy it kept (or away): the oldest generation's wins. */
async function keptChangelogs(pack: Pack, chain: RevertDerivation['chain']): Promise<Item[]> {
  const byPath = new Map<string, { id: string; g: GenerationFile }>();
  for (const { record, file } of chain) byPath.set(changelogName(file.fromLevel, file.toLevel), { id: record.id, g: file });
  const now = await observeMany(pack.home, byPath.keys(), 4, pack.ops);
  const items: Item[] = [];
  for (const [path, { id }] of byPath) {
    const before = now.get(path) as Observed;
    if (before.kind === 'absent') continue;
    const kept = keptFile(pack.home, id, path);
    if ((await pack.ops.lstat(kept)) === null) {
      items.push({ path, before, after: { kind: 'absent' }, source: null });
      continue;
    }
    const { sha256, size } = await pack.ops.hashFile(kept);
    const after: Observed = { kind: 'file', sha256, size, mode: '0644' };
    items.push({ path, before, after, source: restoreSource(generationDir(pack.home, id), path, after) });
  }
  return items.sort((a, b) => comparePaths(a.path, b.path));
}

/**
 * The hotfixes applied before the reverted apply, from the state record it kept: reverting a hotfix drops it, and
 * reverting an update that retired hotfixes brings them back with the files the kept manifest copy lists. A
 * generation that kept no state record (older ones) undoes at most its own hotfix.
 */
async function withKeptHotfixes(pack: Pack, state: PackState, undone: GenerationRecord): Promise<PackState> {
  const file = keptFile(pack.home, undone.id, keptStateRel);
  const { hotfixes: now, ...rest } = state;
  const kept = (await pack.ops.lstat(file)) === null
    ? (now ?? []).filter((h) => h.id !== undone.hotfix)
    : parseJsonFile<PackState>((await pack.ops.readFile(file)).toString('utf8'), file, 'state').hotfixes ?? [];
  return kept.length > 0 ? { ...rest, hotfixes: kept } : rest;
}

/** The job that runs a derived revert: one commit for the whole chain, the pack's record as the oldest kept it. */
export async function jobFromRevertPlan(pack: Pack, state: PackState, d: RevertDerivation, now: Date): Promise<ApplyJob> {
  const { plan } = d;
  const items: Item[] = plan.actions.map((a) => {
    const from = d.origin.get(a.path);
    const after = a.action === 'remove' ? { kind: 'absent' as const } : (a as { after: Observed }).after;
    if (!from || !sameEntry(after, from.entry.before)) throw new UpdateError('internal', `revert plan action for ${a.path} does not come from its generation`);
    return { path: a.path, before: a.before, after, source: restoreSource(generationDir(pack.home, from.generation), a.path, after), prune: from.entry.created };
  });
  await verifyKept(pack.ops, items);
  const changelogs = await keptChangelogs(pack, d.chain);
  const oldest = d.chain[d.chain.length - 1];
  const { id } = revertIdentity(state, oldest.record.id, oldest.record.fromLevel, state.level);
  const keep = d.drifted.length > 0; // the revert's own generation keeps the edited files: recorded, never lost
  const run: RunIdentity = { planDigest: plan.digest, direction: 'revert', product: state.product, fromLevel: state.level, toLevel: oldest.record.fromLevel };
  const rec = recordOf(id, run, now.toISOString());
  const { state: made, drop } = newState(state, rec, plan.manifests.target, { remove: d.chain.map((c) => c.record.id), keepRecord: keep });
  let next = made;
  for (const { record } of d.chain) next = await withKeptHotfixes(pack, next, record);
  return {
    ...run, generation: id,
    preconditions: { ...plan.preconditions, ...Object.fromEntries(changelogs.map((it) => [it.path, it.before])) },
    items: [...items, ...changelogs], conflicts: [],
    commit: { state: next, manifest: { manifest: d.manifest }, drop, keepOwnGeneration: keep, changelog: null, generation: { formatVersion: 1, id, ...run, entries: [] } },
  };
}

/** The pack as reverts see it: every path checked to stay inside it, no symlinked folder on the way. */
const guarded = (pack: Pack): Pack => withOps(pack, guardFs(pack.home, pack.ops));

/** Runs a derived revert with the one executor. */
async function runDerived(pack: Pack, state: PackState, d: RevertDerivation, now: Date, hooks?: ApplyHooks): Promise<Reverted> {
  const job = await jobFromRevertPlan(pack, state, d, now);
  return { ...(await runJob(job, { pack, repo: null, hooks })), drifted: d.drifted };
}

/** Derives the revert of the last `times` updates of the pack as `state` records it, and runs it. The lock is the caller's. */
export async function runRevert(unguarded: Pack, state: PackState, req: { times: number; force: boolean; now: Date; hooks?: ApplyHooks }): Promise<Reverted> {
  const pack = guarded(unguarded);
  return runDerived(pack, state, await deriveRevert(pack, state, req), req.now, req.hooks);
}

/** Reverts the last update; from the waiting state of a `stop` apply, rolls that apply back instead. The lock is the caller's. */
export async function revertOnce(unguarded: Pack, opts: { force: boolean; now: Date; hooks?: ApplyHooks }): Promise<Reverted> {
  const pack = guarded(unguarded);
  const { journal } = await assertPending(pack, ['none', 'waiting']);
  if (!journal) return runRevert(pack, await readState(pack), { ...opts, times: 1 });
  await checkJournal(pack.ops, layoutOf(pack.home, journal.generation), journal);
  const { job, drifted } = await rollbackWaitingJob(pack, journal, opts);
  return { ...(await runJob(job, { pack, repo: null, hooks: opts.hooks })), drifted };
}

/** The paths both plans rely on whose state differs: the pack moved (a path only one names: the plan was altered). */
function driftBetween(plan: Plan, now: Plan): string[] {
  return Object.keys(plan.preconditions).filter((p) => Object.hasOwn(now.preconditions, p) && !sameEntry(plan.preconditions[p], now.preconditions[p])).sort(comparePaths);
}

/** The generations a reviewed revert plan undoes must be what the state keeps, newest first. */
function checkPlanAgainstState(plan: Plan, state: PackState): number {
  if (plan.product !== state.product || plan.lineage !== state.lineage || plan.serial !== state.serial) {
    throw new UpdateError('stale-plan', `the revert plan is for ${plan.product} at serial ${plan.serial}, the pack is ${state.product} at serial ${state.serial}`, {
      hint: 'A revert plan is single-use and made for one pack: make a new one with `wso2update revert --out FILE`.',
    });
  }
  const generations = plan.revert?.generations ?? [plan.revert?.generation ?? ''];
  // A plan naming others (an update plan turned into a revert plan, or one made before another revert) is not for
  // this pack as it is.
  const kept = chainRecords(state, generations.length).map((r) => r.id);
  if (generations.length === 0 || kept.length !== generations.length || kept.some((id, i) => id !== generations[i])) {
    const keeps = kept.length === 0 ? 'the pack keeps no update it could revert' : `the pack's latest kept update${kept.length === 1 ? ' is' : 's are'} ${kept.join(', ')}`;
    throw new UpdateError('stale-plan', `the revert plan undoes ${generations.join(', ') || 'no generation'}, but ${keeps}`, {
      hint: 'Nothing was changed. Make a new revert plan with `wso2update revert --out FILE` and review it.',
    });
  }
  return generations.length;
}

/** Runs a reviewed revert plan: for this pack and serial, re-derived equal (else stale or altered), then run whole. */
export async function applyRevertPlan(input: { pack: Pack; plan: Plan; now: Date; owner: LockOwner; hooks?: ApplyHooks }): Promise<Reverted> {
  const { plan } = input;
  return withPackLock(input.pack, input.owner, async () => {
    const pack = guarded(input.pack);
    const state = await readState(pack);
    const times = checkPlanAgainstState(plan, state);
    const d = await deriveRevert(pack, state, { times, force: true, now: input.now });
    if (d.plan.digest !== plan.digest) {
      const moved = driftBetween(plan, d.plan);
      if (moved.length > 0) {
        throw new UpdateError('stale-plan', `the pack changed since the revert plan was made: ${moved.length} path(s) are not as planned`, {
          paths: moved, hint: 'Make a new revert plan (`wso2update revert --out FILE`) and review it; nothing was changed.',
        });
      }
      throw new UpdateError('verification', 'the revert plan is not what the kept generations give: it was altered after it was made', {
        detail: `plan       ${plan.digest}\nre-derived ${d.plan.digest}`, hint: 'Nothing was changed. Make a new revert plan and review it.',
      });
    }
    return runDerived(pack, state, d, input.now, input.hooks);
  });
}
