// The one executor behind apply, revert and `apply --continue`: check, stage, journal, swap, commit, and on any
// error before the commit a rollback of every done step in reverse (the original error rethrown). The commit point
// is the unlink of the journal; everything the commit records was swapped in as ordinary steps before it.
import { join } from 'node:path';
import type { ApplyEvent } from '../core/apply-events.js';
import { UpdateError } from '../core/errors.js';
import type { Observed } from '../core/model.js';
import { sameEntry } from '../core/verify.js';
import type { FsOps } from '../io/fsops.js';
import { guardFs } from '../io/pack-guard.js';
import { deleteJournal, writeJournal, type Journal, type Step } from '../io/journal.js';
import { observeMany, pool } from '../io/tree.js';
import { cacheDir } from '../io/blob-cache.js';
import { stateDir } from '../io/state.js';
import { STAGED_COMMIT, type ApplyJob, type Item } from './job.js';
import { commitItems } from './meta.js';
import { rollBack, withRollbackErrors } from './rollback.js';
import { interrupted, makeAsideDirs, planSteps, sourceBytes, stageAll, type BlobSource } from './stage.js';
import { doStep, layoutOf, type Layout } from './steps.js';

export interface ApplyHooks {
  onEvent?: (e: ApplyEvent) => void;
  /** The first SIGINT/SIGTERM: finish the current step, then roll back. */
  isInterrupted?: () => boolean;
  /** Aborted at the same first interrupt: downloads in flight stop instead of running to their end. */
  signal?: AbortSignal;
  /** TEST ONLY: awaited at each numbered point once the journal exists (crash tests kill the process there). */
  pauseAt?: (point: number) => Promise<void>;
}

export interface ApplyDeps {
  ops: FsOps;
  repo: BlobSource | null;
  hooks?: ApplyHooks;
}

export interface ApplyOutcome {
  status: 'applied' | 'conflicts';
  generation: string;
  /** Paths waiting for `.final` files. */
  conflicts: string[];
  steps: number;
  warnings: string[];
}

/** Re-observes every precondition; any mismatch is a stale plan naming the drifted paths (nothing written). */
export async function checkPreconditions(home: string, pre: Record<string, Observed>): Promise<void> {
  const seen = await observeMany(home, Object.keys(pre), 16);
  const drifted = [...seen].filter(([p, o]) => !sameEntry(o, pre[p])).map(([p]) => p);
  if (drifted.length > 0) {
    throw new UpdateError('stale-plan', `the pack changed since the plan was made: ${drifted.length} path(s) are not as planned`, {
      paths: drifted, hint: 'Plan again (`wso2update plan`) and review the new plan; nothing was changed.',
    });
  }
}

async function checkFreeSpace(ops: FsOps, home: string, items: readonly Item[]): Promise<void> {
  const need = items.reduce((n, it) => n + (it.source?.kind === 'copy' && it.source.link ? 0 : sourceBytes(it.source)), 0);
  const free = await ops.freeBytes(stateDir(home));
  if (need + (16 << 20) > free) {
    throw new UpdateError('io', `not enough disk space to stage the update: ${need} bytes needed, ${free} free`, {
      hint: `Free space on the file system of ${home} and run again; nothing was changed.`,
    });
  }
}

/** Returns whether it made generations/ (a refused first apply then removes it again: no empty folder left). */
async function prepare(ops: FsOps, l: Layout): Promise<boolean> {
  await ops.rmTree(l.staging); // leftovers of a run killed before its journal existed
  await ops.rmTree(l.gen);
  await ops.mkdir(l.staging);
  const gens = join(l.gen, '..');
  const made = (await ops.lstat(gens)) === null;
  if (made) await ops.mkdir(gens);
  await ops.mkdir(l.gen);
  await ops.mkdir(join(l.gen, 'files'));
  return made;
}

export async function runJob(job: ApplyJob, deps: ApplyDeps): Promise<ApplyOutcome> {
  const ops = guardFs(job.home, deps.ops); // every path checked: inside the pack, no symlinked folder on the way
  const hooks = deps.hooks ?? {};
  const emit = (e: ApplyEvent) => hooks.onEvent?.(e);
  const isInt = hooks.isInterrupted ?? (() => false);
  const l = layoutOf(job.home, job.generation);
  emit({ type: 'phase', phase: 'check' });
  await checkPreconditions(job.home, job.preconditions);
  await checkFreeSpace(ops, job.home, job.items);
  let journal: Journal | null = null;
  let point = 0;
  let madeGens = false;
  const pause = async () => { point += 1; await hooks.pauseAt?.(point); };
  try {
    emit({ type: 'phase', phase: 'stage' });
    madeGens = await prepare(ops, l);
    const steps = await planSteps(ops, l, job.items, 's');
    const createdBy = new Map(steps.map((s) => [s.src, s.created]));
    job.commit.generation.entries = job.items.map((it, i) => ({ path: it.path, before: it.before, after: it.after, created: createdBy.get(`s${i}`) ?? null }));
    let meta: Item[] = [];
    let metaSteps: Step[] = [];
    if (job.conflicts.length === 0) {
      meta = await commitItems(ops, job.home, job.commit);
      metaSteps = await planSteps(ops, l, meta, 'm');
    } else {
      await ops.writeFile(join(l.staging, STAGED_COMMIT), JSON.stringify(job.commit), 0o600);
    }
    await makeAsideDirs(ops, l, [...steps, ...metaSteps]);
    const itemBytes = job.items.reduce((n, it) => n + sourceBytes(it.source), 0);
    const total = itemBytes + meta.reduce((n, it) => n + sourceBytes(it.source), 0);
    await stageAll(ops, l, deps.repo, [...job.items], steps, 's', (done, files) => emit({ type: 'bytes', done, total, files: { ...files } }), isInt);
    // The commit's own files (state, manifest copy, changelog) count in the total, so they count in the progress.
    await stageAll(ops, l, null, meta, metaSteps, 'm', (done) => emit({ type: 'bytes', done: itemBytes + done, total }), isInt);
    if (job.conflicts.length > 0) await ops.fsyncFile(join(l.staging, STAGED_COMMIT));
    journal = {
      formatVersion: 1, planDigest: job.planDigest, generation: job.generation, direction: job.direction, product: job.product,
      fromLevel: job.fromLevel, toLevel: job.toLevel, phase: 'swapping', steps: [...steps, ...metaSteps], resolveSteps: [], conflicts: job.conflicts,
    };
    await writeJournal(job.home, journal, ops);
    await pause();
    emit({ type: 'phase', phase: 'swap' });
    await swap(ops, l, journal.steps, isInt, pause, emit);
    if (job.conflicts.length > 0) {
      journal = { ...journal, phase: 'awaiting-resolution' };
      await writeJournal(job.home, journal, ops);
      return { status: 'conflicts', generation: job.generation, conflicts: job.conflicts.map((c) => c.path), steps: journal.steps.length, warnings: [] };
    }
    emit({ type: 'phase', phase: 'commit' });
    await ops.rmdir(l.staging);
    await pause();
    await deleteJournal(job.home, ops);
  } catch (err) {
    emit({ type: 'phase', phase: 'rollback' });
    const errors = await rollBack(ops, l, journal?.steps ?? []);
    if (madeGens && errors.length === 0) await ops.rmdir(join(l.gen, '..')).catch(() => undefined);
    throw withRollbackErrors(err, errors, job.home);
  }
  const warnings = await afterCommit(ops, l, job);
  return { status: 'applied', generation: job.generation, conflicts: [], steps: journal.steps.length, warnings };
}

/**
 * Renames every step, then fsyncs each folder the steps changed once, all at the same time (they are independent,
 * and the commit waits for every one); stops between steps on an interrupt.
 */
export async function swap(ops: FsOps, l: Layout, steps: readonly Step[], isInt: () => boolean, pause: () => Promise<void>, emit: (e: ApplyEvent) => void): Promise<void> {
  const dirs = new Set<string>();
  for (let i = 0; i < steps.length; i++) {
    if (isInt()) throw interrupted();
    for (const d of await doStep(ops, l, steps[i])) dirs.add(d);
    emit({ type: 'step', done: i + 1, total: steps.length });
    await pause();
  }
  // A later step may have pruned a folder an earlier one touched: only what still exists needs its entries durable.
  const sync = pool(16);
  for (const d of dirs) {
    if ((await ops.lstat(d)) !== null) await sync.run(() => ops.fsyncDir(d));
  }
  await sync.drain();
}

/** Past the point of no return: failures here are warnings (leftovers that the next run or `recover` removes). */
export async function afterCommit(ops: FsOps, l: Layout, job: Pick<ApplyJob, 'commit'>): Promise<string[]> {
  const warnings: string[] = [];
  const drop = [...job.commit.drop.map((id) => join(l.gen, '..', id)), ...(job.commit.keepOwnGeneration ? [] : [l.gen])];
  // The blobs planning kept for this apply are spent once it has committed.
  for (const dir of [l.staging, cacheDir(l.home), ...drop]) {
    try {
      await ops.rmTree(dir);
    } catch (err) {
      warnings.push(`could not remove ${dir}: ${(err as Error).message}`);
    }
  }
  return warnings;
}
