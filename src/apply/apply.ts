// `apply PLAN` as a function: take the lock, refuse a running product or a pending journal, check the plan against
// the pack's record and the repository's target manifest, then run the job. Commands and tests call this.
import { UpdateError } from '../core/errors.js';
import { manifestProblems } from '../core/plan/check.js';
import { isNoOp } from '../core/plan/effect.js';
import type { Hotfix, Manifest, Observed, PackState, Plan } from '../core/model.js';
import { effectiveBase } from '../core/hotfix.js';
import { checkedHotfix, hotfixTarget } from '../plan/hotfix.js';
import { assertPending } from '../io/pending-run.js';
import type { LockOwner } from '../io/lock.js';
import type { Pack } from '../io/pack.js';
import { withPackLock } from './pack-lock.js';
import { assertOwnFolders } from '../io/pack-guard.js';
import { openPackRepository } from '../channel/open.js';
import { modesAsSeen } from '../io/platform.js';
import { readState } from '../io/state.js';
import type { Repository } from '../channel/api.js';
import { runJob, type ApplyHooks, type ApplyOutcome } from './executor.js';
import type { ManifestCopy } from './job.js';
import { checkFreeSpace, checkPreconditions } from './preflight.js';
import { checkPlanAgainstState, jobFromPlan } from './from-plan.js';
import { rederivePlan } from './rederive.js';
import { clip, quote } from '../core/quote.js';
import { keyTwins } from '../core/paths.js';
import { probeFolding, type FoldProbe } from '../io/name-folding.js';
import { openPack, packPaths } from '../io/pack.js';

export interface ApplyPlanInput {
  /** The pack, with the file-system operations every read and change of it goes through. */
  pack: Pack;
  plan: Plan;
  now: Date;
  changelog?: boolean;
  hooks?: ApplyHooks;
  /** Defaults to the repository the plan names. */
  repo?: Repository;
  /**
   * Another location of the same content (`apply PLAN --repo MIRROR`): the manifests' digests bind the plan to
   * content, not to a place, and are checked against whatever this location serves.
   */
  repoLocation?: string;
  /** An offline bundle whose metadata expired after it was made is accepted (channel/bundle/expiry.ts). */
  acceptExpiredBundle?: boolean;
  /** This process, as the lock's owner. */
  owner: LockOwner;
  /** How to ask whether the pack's file system folds case or Unicode normalization (tests inject one). */
  probeFolding?: FoldProbe;
}

/**
 * Paths of the target level that differ only in case or Unicode normalization: warned about everywhere, refused
 * where this pack's file system would store them as one file (one would silently overwrite the other).
 */
function twinsOf(home: string, target: Manifest, probe: FoldProbe): string[] {
  // The paths were checked where the manifest was verified (schema, path rules, twins): only the pairs are needed.
  const twins = keyTwins(Object.keys(target.files), (p) => Object.hasOwn(target.files, p));
  if (twins.length === 0) return [];
  const folds = probe(packPaths(home).own);
  const clash = twins.filter(([a, b]) => (a.toLowerCase() === b.toLowerCase() ? folds.case : folds.unicode || folds.case));
  if (clash.length > 0) {
    throw new UpdateError('invalid-input', `the level ships ${clash.length} pair(s) of paths that this pack's file system stores as one file, e.g. ${quote(clash[0][0])} and ${quote(clash[0][1])}`, {
      paths: clash.flat(), hint: 'Nothing was changed. The level must be published without such twins; apply it on a case-sensitive file system, or ask its publisher.',
    });
  }
  return twins.map(([a, b]) => `the level ships ${quote(a)} and ${quote(b)}, which differ only in case or Unicode normalization (one file on Windows and macOS)`);
}

/**
 * The plan's actions must install what the levels it names ship: a recomputed digest proves nothing, and this is the
 * applier's own check so that every caller gets it. The plan is first checked to be for this pack's base (else that
 * refusal is the clearer one); then it is re-derived whole (rederive.ts).
 */
interface Shipped {
  /**
   * The target's copy for the commit: its verified bytes when it is a level as published. The parsed manifests are
   * not returned, so that they can be collected before staging (13 MB at 48,000 files).
   */
  copy: ManifestCopy;
  hotfix?: { hotfix: Hotfix; digest: string };
  /** The pack as the re-derivation observed it (under the lock, nothing written since): every precondition. */
  observed: ReadonlyMap<string, Observed>;
  /** The target's case and normalization twins (twinsOf). */
  warnings: string[];
}

/** The plan's base (the level with the pack's hotfixes) and target (a level, or the base with the plan's hotfix). */
async function manifestsOf(plan: Plan, state: PackState, repo: Repository) {
  // The base's bytes are not kept (only the target's become the pack's copy): 8 MB at 48,000 files.
  const { manifest, digest } = await repo.manifest(plan.product, plan.fromLevel);
  const base = effectiveBase({ manifest, digest }, state.hotfixes ?? []);
  if (!plan.hotfix) return { base, target: await repo.manifest(plan.product, plan.toLevel) };
  const hotfix = await checkedHotfix(repo, state, plan.hotfix.id);
  if (hotfix.digest !== plan.hotfix.digest) {
    throw new UpdateError('verification', `hotfix ${plan.hotfix.id} at ${repo.location} is not the one the plan was made from`, {
      detail: `plan       ${plan.hotfix.digest}\nrepository ${hotfix.digest}`, hint: 'Nothing was changed. The hotfix was re-published or tampered with: plan again.',
    });
  }
  return { base, target: hotfixTarget(base.manifest, hotfix.hotfix), hotfix };
}

async function checkShippedContent(pack: Pack, plan: Plan, state: PackState, repo: Repository, probe: FoldProbe): Promise<Shipped> {
  checkPlanAgainstState(plan, state);
  const { base, target, hotfix } = await manifestsOf(plan, state, repo);
  for (const [m, want, level] of [[base, plan.manifests.base, plan.fromLevel], [target, plan.manifests.target, plan.toLevel]] as const) {
    if (m.digest !== want) {
      throw new UpdateError('verification', `the manifest of level ${level} at ${repo.location} is not the one the plan was made from`, {
        detail: `plan       ${want}\nrepository ${m.digest}`,
        hint: 'The repository changed since planning, or --repo names another channel: plan again.',
      });
    }
  }
  // Compared as this file system sees modes (io/platform.ts); the job gets the signed target for the pack's record.
  const [seenBase, seenTarget] = [modesAsSeen(base.manifest), modesAsSeen(target.manifest)];
  const problems = manifestProblems(plan, seenBase, seenTarget);
  if (problems.length > 0) {
    throw new UpdateError('verification', `the plan's actions are not what levels ${plan.fromLevel} and ${plan.toLevel} ship (${problems.length} path(s)): it was altered after planning`, {
      detail: problems.slice(0, 20).map((p) => clip(p, 300)).join('\n'),
      hint: 'Nothing was changed. Make a new plan with `wso2update plan` and review it.',
    });
  }
  const observed = await rederivePlan({ pack, plan, repo, base: seenBase, target: seenTarget, applied: state.hotfixes ?? [] });
  const warnings = twinsOf(pack.home, target.manifest, probe);
  const copy: ManifestCopy = 'bytes' in target && target.bytes ? { bytes: target.bytes, sha256: target.digest } : { manifest: target.manifest };
  return { copy, hotfix, observed, warnings };
}

/** A plan that changes nothing (core/plan/effect.ts): checked like any plan, then nothing is written at all. */
export interface Unchanged {
  status: 'unchanged';
  generation?: undefined;
  conflicts: string[];
  steps: 0;
  warnings: string[];
}

/** The repository the plan names (or the mirror given), with the pack's cache, trust and staging. */
function openPlanRepository(input: Pick<ApplyPlanInput, 'pack' | 'plan' | 'repoLocation' | 'acceptExpiredBundle'>, state: PackState, signal?: AbortSignal): Promise<Repository> {
  return openPackRepository(input.pack, state, { repo: input.repoLocation ?? input.plan.repository, cache: true, signal, acceptExpiredBundle: input.acceptExpiredBundle });
}

export async function applyPlan(input: ApplyPlanInput): Promise<ApplyOutcome | Unchanged> {
  const { pack } = input;
  const { home, ops } = pack;
  return withPackLock(pack, input.owner, async () => {
    const state = await readState(openPack(home, ops));
    const { plan } = input;
    const repo = input.repo ?? (await openPlanRepository(input, state, input.hooks?.signal));
    try {
      const { copy, hotfix, observed, warnings } = await checkShippedContent(pack, plan, state, repo, input.probeFolding ?? probeFolding);
      // No journal, no generation, no serial: an empty apply must not push the kept generations out.
      if (isNoOp(plan)) return { status: 'unchanged', conflicts: [], steps: 0, warnings };
      const job = await jobFromPlan({ pack, plan, state, target: copy, hotfix, now: input.now, changelog: input.changelog ?? true });
      const outcome = await runJob(job, { pack, repo, hooks: input.hooks, observed });
      return { ...outcome, warnings: [...warnings, ...outcome.warnings] };
    } finally {
      if (!input.repo) await repo.close();
    }
  });
}

/** What `apply PLAN --check-only` found: the plan can be applied here as it stands (or changes nothing). */
export interface Checked {
  status: 'applicable' | 'unchanged';
  conflicts: string[];
  warnings: string[];
}

/**
 * `apply PLAN --check-only`: every check apply makes before it writes (plan against the pack's record, the levels'
 * content, the re-derivation, helper names, preconditions, free space, no journal), without the lock and without
 * the running-product check, so that a fleet checks a node before stopping it. Writes nothing but the blob cache.
 */
export async function checkPlan(input: Omit<ApplyPlanInput, 'owner' | 'hooks' | 'changelog'>): Promise<Checked> {
  const { home, ops } = input.pack;
  assertOwnFolders(home);
  await assertPending(openPack(home, ops), ['none']);
  const state = await readState(openPack(home, ops));
  const { plan } = input;
  const repo = input.repo ?? (await openPlanRepository(input, state));
  try {
    const { copy, hotfix, observed, warnings } = await checkShippedContent(input.pack, plan, state, repo, input.probeFolding ?? probeFolding);
    if (isNoOp(plan)) return { status: 'unchanged', conflicts: [], warnings };
    const job = await jobFromPlan({ pack: input.pack, plan, state, target: copy, hotfix, now: input.now, changelog: false });
    await checkPreconditions(input.pack, job.preconditions, observed);
    await checkFreeSpace(input.pack, job.items);
    return { status: 'applicable', conflicts: job.conflicts.map((c) => c.path), warnings };
  } finally {
    if (!input.repo) await repo.close();
  }
}
