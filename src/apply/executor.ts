// The one executor behind apply, revert, `apply --continue` and reverting a waiting update: check, stage, journal,
// swap, commit, and on any error before the commit a rollback of every done step in reverse (the original error
// rethrown). The commit point is the unlink of the journal; everything the commit records was swapped in before it.
import { join } from 'node:path';
import type { ApplyEvent } from '../core/apply-events.js';
import { runIdentity, type Observed } from '../core/model.js';
import type { FsOps } from '../io/fsops.js';
import { guardFs } from '../io/pack-guard.js';
import { withOps, type Pack } from '../io/pack.js';
import { type Journal, type Step } from '../io/pending-run.js';
import { deleteJournal, writeJournal } from './journal.js';
import { STAGED_COMMIT, stagedCommitText, type ApplyJob } from './job.js';
import { checkFreeSpace, checkPreconditions } from './preflight.js';
import { commitItems } from './commit-files.js';
import { backToWaiting, rollBack, withRollbackErrors } from './rollback.js';
import { entriesOf, makeAsideDirs, planSteps, sourceBytes, stageAll, type BlobSource } from './stage.js';
import { checkpoint, layoutOf, recordStaged, swap, type Layout } from './steps.js';
import { packPaths } from '../io/pack.js';

export interface ApplyHooks {
  onEvent?: (e: ApplyEvent) => void;
  /** The first SIGINT/SIGTERM: finish the current step, then roll back. */
  isInterrupted?: () => boolean;
  /** Aborted at the same first interrupt: downloads in flight stop instead of running to their end. */
  signal?: AbortSignal;
}

export interface ApplyDeps {
  /** The pack the job changes; its ops are guarded here (every path inside the pack). */
  pack: Pack;
  repo: BlobSource | null;
  hooks?: ApplyHooks;
  /**
   * Paths this run observed under the same lock with nothing written since (apply's re-derivation): the
   * preconditions among them are compared as observed, not hashed again (preflight.ts).
   */
  observed?: ReadonlyMap<string, Observed>;
}

export interface ApplyOutcome {
  status: 'applied' | 'conflicts';
  generation: string;
  /** Paths waiting for `.final` files. */
  conflicts: string[];
  steps: number;
  warnings: string[];
}

/**
 * Clears what a run killed before its journal existed left, and makes the job's generation folder. A job that
 * resumes a waiting update keeps that update's staged commit, and its generation when the job fills the same one.
 * Returns whether it made generations/ (a refused first apply then removes it again: no empty folder left).
 */
async function prepare(ops: FsOps, l: Layout, resumes: Journal | null, generation: string): Promise<boolean> {
  if (resumes === null) {
    await ops.rmTree(l.staging);
    await ops.mkdir(l.staging);
  } else {
    for (const name of await ops.readdir(l.staging)) if (name !== STAGED_COMMIT) await ops.rmTree(join(l.staging, name));
    if (resumes.generation === generation) return false;
  }
  await ops.rmTree(l.gen);
  const gens = join(l.gen, '..');
  const made = (await ops.lstat(gens)) === null;
  if (made) await ops.mkdir(gens);
  await ops.mkdir(l.gen);
  await ops.mkdir(join(l.gen, 'files'));
  return made;
}

/** The journal of a job: a fresh one, or the waiting update's with this job's steps as its resolution. */
function journalOf(job: ApplyJob, steps: Step[]): Journal {
  if (job.resumes) {
    const own = job.generation === job.resumes.generation ? {} : { resolveGeneration: job.generation };
    return { ...job.resumes, phase: 'resolving', resolveSteps: steps, ...own };
  }
  return {
    formatVersion: 1, ...runIdentity(job), generation: job.generation, phase: 'swapping', steps, resolveSteps: [], conflicts: job.conflicts,
  };
}

export async function runJob(job: ApplyJob, deps: ApplyDeps): Promise<ApplyOutcome> {
  const { home } = deps.pack;
  const ops = guardFs(home, deps.pack.ops); // every path checked: inside the pack, no symlinked folder on the way
  const hooks = deps.hooks ?? {};
  const emit = (e: ApplyEvent) => hooks.onEvent?.(e);
  const isInt = hooks.isInterrupted ?? (() => false);
  const l = layoutOf(home, job.generation);
  const resumes = job.resumes ?? null;
  const waits = job.conflicts.length > 0;
  emit({ type: 'phase', phase: 'check' });
  const guarded = withOps(deps.pack, ops);
  await checkPreconditions(deps.pack, job.preconditions, deps.observed); // read-only, never following a link: unguarded
  await checkFreeSpace(guarded, job.items);
  let journal: Journal | null = null;
  let madeGens = false;
  // Staged names are unique within the journal (a resumed job's follow the waiting update's).
  let n = resumes?.steps.length ?? 0;
  const name = () => String(n++);
  try {
    emit({ type: 'phase', phase: 'stage' });
    madeGens = await prepare(ops, l, resumes, job.generation);
    const planned = await planSteps(ops, l, job.items, name);
    // The generation record is built from the items as planned: each with the folders its step creates.
    const commit = { ...job.commit, generation: { ...job.commit.generation, entries: [...job.commit.generation.entries, ...entriesOf(planned)] } };
    const meta = waits ? [] : await planSteps(ops, l, await commitItems(guarded, commit), name);
    if (waits) await ops.writeFile(join(l.staging, STAGED_COMMIT), stagedCommitText(commit), 0o600);
    const steps = [...planned, ...meta].map((p) => p.step);
    await makeAsideDirs(ops, l, steps);
    const itemBytes = job.items.reduce((n, it) => n + sourceBytes(it.source), 0);
    const total = itemBytes + meta.reduce((n, p) => n + sourceBytes(p.item.source), 0);
    await stageAll(ops, l, deps.repo, planned, (done, files) => emit({ type: 'bytes', done, total, files: { ...files } }), isInt);
    // The commit's own files (state, manifest copy, changelog) count in the total, so they count in the progress.
    await stageAll(ops, l, null, meta, (done) => emit({ type: 'bytes', done: itemBytes + done, total }), isInt);
    if (waits) await ops.fsyncFile(join(l.staging, STAGED_COMMIT));
    await recordStaged(ops, l, steps);
    journal = journalOf(job, steps);
    await writeJournal(home, journal, ops);
    emit({ type: 'phase', phase: 'swap' });
    await swap(ops, l, steps, isInt, emit);
    // The last moment an interrupt rolls back: what follows until the journal's unlink (the commit point) is
    // synchronous, so an interrupt seen after this finds the update committed, and says so (cli/apply-session.ts).
    await checkpoint(isInt);
    if (waits) {
      journal = { ...journal, phase: 'awaiting-resolution' };
      await writeJournal(home, journal, ops);
      return { status: 'conflicts', generation: job.generation, conflicts: job.conflicts.map((c) => c.path), steps: steps.length, warnings: [] };
    }
    emit({ type: 'phase', phase: 'commit' });
    if (resumes === null) await ops.rmdir(l.staging); // a resumed job's staging still holds the staged commit
    await deleteJournal(home, ops);
  } catch (err) {
    emit({ type: 'phase', phase: 'rollback' });
    const errors = resumes ? await backToWaiting(ops, l, resumes, journal?.resolveSteps ?? null) : await rollBack(ops, l, journal?.steps ?? []);
    if (madeGens && errors.length === 0) await ops.rmdir(join(l.gen, '..')).catch(() => undefined);
    throw withRollbackErrors(err, errors, home);
  }
  const warnings = await afterCommit(ops, l, job);
  return { status: 'applied', generation: job.generation, conflicts: [], steps: journal.steps.length + journal.resolveSteps.length, warnings };
}

/** Past the point of no return: failures here are warnings (leftovers that the next run or `recover` removes). */
export async function afterCommit(ops: FsOps, l: Layout, job: Pick<ApplyJob, 'commit'>): Promise<string[]> {
  const warnings: string[] = [];
  const drop = [...job.commit.drop.map((id) => join(l.gen, '..', id)), ...(job.commit.keepOwnGeneration ? [] : [l.gen])];
  // The blobs planning kept for this apply are spent once it has committed.
  for (const dir of [l.staging, packPaths(l.home).cache, ...drop]) {
    try {
      await ops.rmTree(dir);
    } catch (err) {
      warnings.push(`could not remove ${dir}: ${(err as Error).message}`);
    }
  }
  return warnings;
}
