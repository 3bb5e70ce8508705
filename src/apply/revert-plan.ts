// Revert is a plan: toward the previous generation, or through several (--to-level N), made from the kept
// generations' records and the pack as it is now, with preconditions, actions and a digest like any plan, so that
// `show` renders it for review. Applying it re-derives it from the pack (any difference refuses) and runs each
// revert through the one executor. A drifted file is in the plan as it is now: reviewing the plan is the --force.
import { join } from 'node:path';
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { Manifest, Observed, PackState, Plan } from '../core/model.js';
import { finishPlan } from '../core/plan/build.js';
import type { Decision } from '../core/plan/planner.js';
import { comparePaths, parentsOf } from '../core/paths.js';
import { sameEntry } from '../core/pack-compare.js';
import { TOOL_VERSION } from '../core/version.js';
import type { FsOps } from '../io/fsops.js';
import { readState } from '../io/state.js';
import { observeMany } from '../io/tree.js';
import { parseJsonFile } from '../io/validate.js';
import { withPackLock } from './apply.js';
import type { ApplyHooks, ApplyOutcome } from './executor.js';
import { generationDir, readGeneration } from './generations.js';
import type { LockOwner } from '../io/lock.js';
import { keptManifestRel } from './commit-files.js';
import { chainRecords, lastUpdate, revertChain, revertOnce } from './revert.js';
import { openPack } from '../io/pack.js';

const driftRefusal = (paths: string[], to: number | undefined): UpdateError =>
  new UpdateError('stale-plan', `${paths.length} file(s) the update${to === undefined ? '' : 's'} wrote were changed since; ${to === undefined ? 'revert' : `reverting to level ${to}`} would lose those edits`, {
    paths, hint: `Nothing was reverted. Keep copies of your edits and run \`wso2update revert${to === undefined ? '' : ` --to-level ${to}`} --force\` (it keeps the edited files in new generations).`,
  });

/**
 * The revert plan of this pack now. Each generation's files must be as it wrote them once the newer reverts have put
 * back what they kept (else drift: refused unless `force`); each path goes from what is there now to what the oldest
 * undone generation kept. `times`: how many reverts (from --to-level by revertChain, else the last update alone).
 */
export async function makeRevertPlan(home: string, ops: FsOps, state: PackState, opts: { toLevel?: number; times?: number; force: boolean; now: Date }): Promise<Plan> {
  const times = opts.times ?? (opts.toLevel === undefined ? (lastUpdate(state), 1) : revertChain(state, opts.toLevel));
  const records = chainRecords(state, times);
  const now = new Map<string, Observed>();
  const expected = new Map<string, Observed>();
  const drifted = new Set<string>();
  for (const r of records) {
    const g = await readGeneration(ops, home, r.id);
    for (const [p, o] of await observeMany(home, g.entries.filter((e) => !now.has(e.path)).map((e) => e.path), 16, ops)) now.set(p, o);
    for (const e of g.entries) {
      if (!sameEntry(expected.get(e.path) ?? (now.get(e.path) as Observed), e.after)) drifted.add(e.path);
      expected.set(e.path, e.before);
    }
  }
  if (drifted.size > 0 && !opts.force) throw driftRefusal([...drifted].sort(comparePaths), opts.toLevel);
  const decisions: Decision[] = [];
  for (const [path, before] of now) {
    const after = expected.get(path) as Observed;
    if (sameEntry(before, after)) continue;
    const modeOnly = before.kind === 'file' && after.kind === 'file' && before.sha256 === after.sha256;
    decisions.push({ path, action: after.kind === 'absent' ? 'remove' : before.kind === 'absent' ? 'add' : modeOnly ? 'chmod' : 'replace', before, after });
  }
  const observed = await observeMany(home, new Set(decisions.flatMap((d) => parentsOf(d.path))), 16, ops);
  const oldest = records[records.length - 1];
  const mfile = join(generationDir(home, oldest.id), 'files', keptManifestRel);
  const manifest = parseJsonFile<Manifest>((await ops.readFile(mfile)).toString('utf8'), mfile, 'manifest');
  return finishPlan({
    meta: {
      toolVersion: TOOL_VERSION, createdAt: opts.now.toISOString(), product: state.product, fromLevel: state.level, toLevel: oldest.fromLevel,
      repository: state.repository, manifests: { base: state.manifestDigest, target: digestOf(manifest) }, lineage: state.lineage, serial: state.serial,
      portable: false, direction: 'revert', revert: { generation: records[0].id, generations: records.map((r) => r.id) },
    },
    policy: 'stop', decisions, merges: new Map(), observed, notes: [],
  });
}

/** The paths both plans rely on whose state differs: the pack moved (a path only one names: the plan was altered). */
function driftBetween(plan: Plan, now: Plan): string[] {
  return Object.keys(plan.preconditions).filter((p) => Object.hasOwn(now.preconditions, p) && !sameEntry(plan.preconditions[p], now.preconditions[p])).sort(comparePaths);
}

/** Runs a reviewed revert plan: for this pack and serial, re-derived equal (else stale or altered), then each revert. */
export async function applyRevertPlan(input: { home: string; plan: Plan; now: Date; owner: LockOwner; ops: FsOps; hooks?: ApplyHooks }): Promise<ApplyOutcome & { drifted: string[] }> {
  const { home, plan, ops } = input;
  return withPackLock(home, input.owner, async () => {
    const state = await readState(openPack(home, ops));
    if (plan.product !== state.product || plan.lineage !== state.lineage || plan.serial !== state.serial) {
      throw new UpdateError('stale-plan', `the revert plan is for ${plan.product} at serial ${plan.serial}, the pack is ${state.product} at serial ${state.serial}`, {
        hint: 'A revert plan is single-use and made for one pack: make a new one with `wso2update revert --out FILE`.',
      });
    }
    const generations = plan.revert?.generations ?? [plan.revert?.generation ?? ''];
    // The generations a revert plan undoes are what the state keeps, newest first: a plan naming others (an update
    // plan turned into a revert plan, or one made before another revert) is not for this pack as it is.
    const kept = chainRecords(state, generations.length).map((r) => r.id);
    if (generations.length === 0 || kept.length !== generations.length || kept.some((id, i) => id !== generations[i])) {
      const keeps = kept.length === 0 ? 'the pack keeps no update it could revert' : `the pack's latest kept update${kept.length === 1 ? ' is' : 's are'} ${kept.join(', ')}`;
      throw new UpdateError('stale-plan', `the revert plan undoes ${generations.join(', ') || 'no generation'}, but ${keeps}`, {
        hint: 'Nothing was changed. Make a new revert plan with `wso2update revert --out FILE` and review it.',
      });
    }
    const again = await makeRevertPlan(home, ops, state, { times: generations.length, force: true, now: input.now });
    if (again.digest !== plan.digest) {
      const moved = driftBetween(plan, again);
      if (moved.length > 0) {
        throw new UpdateError('stale-plan', `the pack changed since the revert plan was made: ${moved.length} path(s) are not as planned`, {
          paths: moved, hint: 'Make a new revert plan (`wso2update revert --out FILE`) and review it; nothing was changed.',
        });
      }
      throw new UpdateError('verification', 'the revert plan is not what the kept generations give: it was altered after it was made', {
        detail: `plan       ${plan.digest}\nre-derived ${again.digest}`, hint: 'Nothing was changed. Make a new revert plan and review it.',
      });
    }
    const drifted: string[] = [];
    let last: ApplyOutcome | null = null;
    for (let i = 0; i < generations.length; i++) {
      const r = await revertOnce(home, ops, { force: true, now: input.now, hooks: input.hooks });
      drifted.push(...r.drifted);
      last = r;
    }
    return { ...(last as ApplyOutcome), drifted };
  });
}
