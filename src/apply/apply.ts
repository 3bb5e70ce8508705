// `apply PLAN` as a function: take the lock, refuse a running product or a pending journal, check the plan against
// the pack's record and the repository's target manifest, then run the job. Commands and tests call this.
import { UpdateError } from '../core/errors.js';
import { manifestProblems } from '../core/plan-check.js';
import { isNoOp } from '../core/plan-effect.js';
import type { Manifest, PackState, Plan } from '../core/model.js';
import { realFs, type FsOps } from '../io/fsops.js';
import { readJournal } from '../io/journal.js';
import { acquireLock, assertNotRunning } from '../io/lock.js';
import { cacheDir } from '../io/blob-cache.js';
import { openRepository } from '../io/repository.js';
import { readBaseManifest, readState } from '../io/state.js';
import type { Repository } from '../io/types.js';
import { runJob, type ApplyHooks, type ApplyOutcome } from './executor.js';
import { checkPlanAgainstState, jobFromPlan } from './from-plan.js';

/** The refusal while an interrupted run's journal is in the pack (not one that waits on conflicts). */
export const needsRecover = (home: string): UpdateError =>
  new UpdateError('needs-recover', 'an interrupted update left a journal in this pack', { hint: `Run \`wso2update recover --home ${home}\` first.` });

/** Runs `fn` holding the pack's lock, with the product stopped; `journal` says what a leftover journal means. */
export async function withPackLock<T>(home: string, fn: () => Promise<T>, journal: 'refuse' | 'allow' = 'refuse', ops: FsOps = realFs): Promise<T> {
  const lock = await acquireLock(home);
  try {
    await assertNotRunning(home);
    if (journal === 'refuse') {
      const j = await readJournal(home, ops);
      if (j !== null && j.phase !== 'awaiting-resolution') throw needsRecover(home);
      if (j !== null) {
        throw new UpdateError('needs-recover', 'an update waits for conflicts to be resolved', {
          hint: `Write each <file>.final and run \`wso2update apply --continue --home ${home}\`, or \`wso2update revert --home ${home}\` to undo it.`,
          paths: j.conflicts.map((c) => c.path),
        });
      }
    }
    return await fn();
  } finally {
    await lock.release();
  }
}

export interface ApplyPlanInput {
  home: string;
  plan: Plan;
  now: Date;
  changelog?: boolean;
  ops?: FsOps;
  hooks?: ApplyHooks;
  /** Defaults to the repository the plan names. */
  repo?: Repository;
  /**
   * Another location of the same content (`apply PLAN --repo MIRROR`): the manifests' digests bind the plan to
   * content, not to a place, and are checked against whatever this location serves.
   */
  repoLocation?: string;
}

/**
 * The plan's actions must install what the levels it names ship: a recomputed digest proves nothing, and this is the
 * applier's own check so that every caller gets it. The plan is first checked to be for this pack's base (else that
 * refusal is the clearer one), so the base manifest copy is the plan's base.
 */
async function checkShippedContent(home: string, plan: Plan, state: PackState, target: Manifest): Promise<void> {
  checkPlanAgainstState(plan, state);
  const problems = manifestProblems(plan, await readBaseManifest(home), target);
  if (problems.length > 0) {
    throw new UpdateError('verification', `the plan's actions are not what levels ${plan.fromLevel} and ${plan.toLevel} ship (${problems.length} path(s)): it was altered after planning`, {
      detail: problems.slice(0, 20).join('\n'),
      hint: 'Nothing was changed. Make a new plan with `wso2update plan` and review it.',
    });
  }
}

/** A plan that changes nothing (core/plan-effect.ts): checked like any plan, then nothing is written at all. */
export interface Unchanged {
  status: 'unchanged';
  generation?: undefined;
  conflicts: string[];
  steps: 0;
  warnings: string[];
}

export async function applyPlan(input: ApplyPlanInput): Promise<ApplyOutcome | Unchanged> {
  const ops = input.ops ?? realFs;
  return withPackLock(input.home, async () => {
    const state = await readState(input.home);
    const { plan } = input;
    const repo = input.repo ?? (await openRepository(input.repoLocation ?? plan.repository, { cache: cacheDir(input.home) }));
    try {
      const { manifest, digest } = await repo.manifest(plan.product, plan.toLevel);
      if (digest !== plan.manifests.target) {
        throw new UpdateError('verification', `the manifest of level ${plan.toLevel} at ${repo.location} is not the one the plan was made from`, {
          detail: `plan       ${plan.manifests.target}\nrepository ${digest}`,
          hint: 'The repository changed since planning, or --repo names another channel: plan again.',
        });
      }
      await checkShippedContent(input.home, plan, state, manifest);
      // No journal, no generation, no serial: an empty apply must not push the kept generations out.
      if (isNoOp(plan)) return { status: 'unchanged', conflicts: [], steps: 0, warnings: [] };
      const job = await jobFromPlan({ home: input.home, plan, state, target: manifest, now: input.now, changelog: input.changelog ?? true });
      return await runJob(job, { ops, repo, hooks: input.hooks });
    } finally {
      if (!input.repo) await repo.close();
    }
  }, 'refuse', ops);
}
