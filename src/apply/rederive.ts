// A plan is checked, not believed. Its digest is a checksum anyone can recompute, so apply plans again itself, from
// the two manifests the repository vouches for and what is on disk now, with the same planner and merge engine,
// and refuses a plan that differs in any action, merged text, precondition, note or in what it covers (exit 7,
// naming the paths). A path the plan says nothing about but the update changes is a difference too, so removing an
// action (leaving an old, vulnerable jar behind under the new level) is caught like inventing one.
import { canonicalJson } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { Action, AppliedHotfix, Manifest, Observed, Plan } from '../core/model.js';
import { finishPlan } from '../core/plan/build.js';
import { changedPaths, pathsToInspect } from '../core/plan/planner.js';
import { comparePaths } from '../core/paths.js';
import { assertMergeEngine } from '../core/merge/engine.js';
import { sameEntry } from '../core/pack-compare.js';
import { defaultDeps, derive } from '../plan/update.js';
import { observeMany } from '../io/tree.js';
import type { Pack } from '../io/pack.js';
import type { Repository } from '../channel/api.js';

/** Paths (and plan-wide fields) where `plan` and the re-derived plan disagree, in path order. */
function differences(plan: Plan, expected: Plan): string[] {
  const byPath = (xs: readonly Action[]) => new Map(xs.map((a) => [a.path, canonicalJson(a)]));
  const [got, want] = [byPath(plan.actions), byPath(expected.actions)];
  const out = new Set<string>();
  for (const p of new Set([...got.keys(), ...want.keys()])) if (got.get(p) !== want.get(p)) out.add(p);
  const pre = (o: Record<string, Observed>) => new Map(Object.entries(o).map(([p, v]) => [p, canonicalJson(v)]));
  const [gp, wp] = [pre(plan.preconditions), pre(expected.preconditions)];
  for (const p of new Set([...gp.keys(), ...wp.keys()])) if (gp.get(p) !== wp.get(p)) out.add(p);
  const paths = [...out].sort(comparePaths);
  if (canonicalJson(plan.notes) !== canonicalJson(expected.notes)) paths.push('(the notes of the levels crossed)');
  if (canonicalJson(plan.summary) !== canonicalJson(expected.summary)) paths.push('(the summary)');
  return paths;
}

export interface RederiveInput {
  /** The pack, observed through the applier's FsOps like every other applier effect. */
  pack: Pack;
  plan: Plan;
  repo: Repository;
  /** The manifests of the plan's from- and to-level, as the repository verified them (digests = the plan's). */
  base: Manifest;
  target: Manifest;
  /** The hotfixes the pack's state records as applied (an update to another level retires or guards them). */
  applied: readonly AppliedHotfix[];
}

/**
 * Re-derives `plan` and throws unless it is exactly the plan this pack and these levels give: drift in a path the
 * plan relies on is a stale plan (exit 5); any other difference means the plan was altered (exit 7). Returns what it
 * observed of the pack (every precondition among it), so the applier does not hash the same files again.
 */
export async function rederivePlan(input: RederiveInput): Promise<ReadonlyMap<string, Observed>> {
  const { plan, repo, base, target } = input;
  const { home } = input.pack;
  assertMergeEngine(plan.tool.mergeEngine);
  const changed = changedPaths(base, target);
  const inspect = new Set(pathsToInspect(base, target, changed));
  for (const p of Object.keys(plan.preconditions)) inspect.add(p);
  const observed = await observeMany(home, inspect, 16, input.pack.ops);
  const drifted = Object.keys(plan.preconditions).filter((p) => !sameEntry(observed.get(p) as Observed, plan.preconditions[p]));
  if (drifted.length > 0) {
    throw new UpdateError('stale-plan', `the pack changed since the plan was made: ${drifted.length} path(s) are not as planned`, {
      paths: drifted, hint: 'Plan again (`wso2update plan`) and review the new plan; nothing was changed.',
    });
  }
  const { decisions, merges, notes, fates } = await derive({ home, repo, deps: defaultDeps, product: plan.product, base, target, observed, changed, applied: input.applied });
  const expected = finishPlan({
    meta: {
      toolVersion: plan.tool.version, createdAt: plan.createdAt, product: plan.product, fromLevel: plan.fromLevel, toLevel: plan.toLevel,
      repository: plan.repository, manifests: plan.manifests, lineage: plan.lineage ?? '', serial: plan.serial ?? 0, portable: plan.portable,
      hotfix: plan.hotfix, hotfixes: fates, // the hotfix's identity was checked against the record by the caller
      display: plan.display, // review only: carried as it is, never derived or acted on
    },
    policy: plan.onConflict, decisions, merges, observed, notes,
  });
  if (expected.digest === plan.digest) return observed;
  const paths = differences(plan, expected);
  throw new UpdateError('verification', `the plan is not what levels ${plan.fromLevel} -> ${plan.toLevel} give for this pack: ${paths.length} path(s) differ from a fresh plan, so it was altered after planning`, {
    paths: paths.length > 0 ? paths : ['(the plan\'s own fields)'],
    hint: 'Nothing was changed. Make a new plan with `wso2update plan`, review it, and apply that one.',
  });
}
