// Rollback: undo every step in reverse, then remove staging and the generation and finally the journal. Each undo
// is idempotent, so the same routine serves a failed apply, an interrupted one and `recover` after a crash.
// Like arborist's reify, rollback errors are collected rather than thrown: the original error stays the headline.
import { UpdateError } from '../core/errors.js';
import { deniedError } from '../io/denied.js';
import type { FsOps } from '../io/fsops.js';
import { join } from 'node:path';
import { type Journal, type Step } from '../io/pending-run.js';
import { deleteJournal, writeJournal } from './journal.js';
import { STAGED_COMMIT } from './job.js';
import { undoStep, type Layout } from './steps.js';
import { packPaths } from '../io/pack.js';

/** Undoes `steps` in reverse; returns the errors met (empty: the pack is as before). */
export async function undoSteps(ops: FsOps, l: Layout, steps: readonly Step[]): Promise<unknown[]> {
  const errors: unknown[] = [];
  let made = false;
  try {
    if ((await ops.lstat(l.staging)) === null) made = (await ops.mkdir(l.staging), true);
  } catch (err) {
    return [err];
  }
  for (let i = steps.length - 1; i >= 0; i--) {
    try {
      await undoStep(ops, l, steps[i]);
    } catch (err) {
      errors.push(err);
    }
  }
  // A staging folder made only for this undo goes again when the undo did not finish (the journal stays and says
  // what is left); emptied, it would be litter of a refused run.
  if (made && errors.length > 0 && (await ops.readdir(l.staging).catch(() => ['?'])).length === 0) await ops.rmdir(l.staging).catch(() => undefined);
  return errors;
}

/**
 * A full rollback of an update that has not committed. Keeps the journal when anything could not be undone; once
 * every step is undone the journal goes first: undoing again, after the staged names were removed with staging,
 * would take the restored files for the update's and delete them. Leftover folders are swept by `recover`.
 */
export async function rollBack(ops: FsOps, l: Layout, steps: readonly Step[]): Promise<unknown[]> {
  const errors = await undoSteps(ops, l, steps);
  if (errors.length > 0) return errors;
  try {
    if ((await ops.lstat(packPaths(l.home).journal)) !== null) await deleteJournal(l.home, ops);
    await ops.rmTree(l.staging);
    await ops.rmTree(l.gen);
  } catch (err) {
    errors.push(err);
  }
  return errors;
}

/**
 * Ends a job that ran under a waiting update's journal (`waiting`) and failed or was interrupted: its `steps` (null:
 * its journal was never written) are undone, the journal says "waiting" again, and what the job staged, and its own
 * generation when it had one, go. The update's staged commit stays for the next --continue or revert.
 */
export async function backToWaiting(ops: FsOps, l: Layout, waiting: Journal, steps: readonly Step[] | null): Promise<unknown[]> {
  const errors = steps === null ? [] : await undoSteps(ops, l, steps);
  if (errors.length > 0) return errors;
  try {
    const back: Journal = { ...waiting, phase: 'awaiting-resolution', resolveSteps: [] };
    delete back.resolveGeneration;
    if (steps !== null) await writeJournal(l.home, back, ops);
    for (const name of await ops.readdir(l.staging)) if (name !== STAGED_COMMIT) await ops.rmTree(join(l.staging, name));
    if (l.gen !== join(l.gen, '..', waiting.generation)) await ops.rmTree(l.gen);
  } catch (err) {
    errors.push(err);
  }
  return errors;
}

/** A raw file-system error (ENOSPC, EACCES, ...) as an `io` UpdateError that says nothing was changed. */
function asUpdateError(err: unknown): unknown {
  if (err instanceof UpdateError || !(err instanceof Error) || !('code' in err)) return err;
  const { code, path } = err as NodeJS.ErrnoException;
  // Windows refuses to rename or delete a file another program holds open without delete sharing, as a JVM holds
  // its jars: the product (or an editor, a virus scanner) still running is the cause, not the disk.
  if (code === 'EBUSY') {
    return new UpdateError('io', `${path ?? 'a file of the pack'} is in use by another program: it cannot be moved while it is open (${err.message})`, {
      hint: 'Every change was rolled back. Stop the product (its JVM holds the jars open) and close any program that has the file open, then run again.',
      paths: path ? [path] : undefined, cause: err,
    });
  }
  const denied = deniedError(err, 'Every change was rolled back.');
  if (denied) return denied;
  return new UpdateError('io', err.message, {
    hint: 'Every change was rolled back; fix the cause (disk space, permissions, a failing disk) and run again.', cause: err,
  });
}

/** The original error, with what rollback could not undo added so the user knows to run `recover`. */
export function withRollbackErrors(thrown: unknown, errors: unknown[], home: string): unknown {
  const original = asUpdateError(thrown);
  if (errors.length === 0) return original;
  const lines = errors.map((e) => `rollback: ${(e as Error).message ?? String(e)}`).join('\n');
  const base = original instanceof UpdateError ? original : null;
  return new UpdateError(base?.code ?? 'io', `${(original as Error).message ?? String(original)} (and the rollback did not finish)`, {
    detail: [base?.detail, lines].filter(Boolean).join('\n'),
    hint: `The journal was kept: run \`wso2update recover --home ${home}\` once the cause is fixed.`,
    paths: base?.paths,
    cause: original,
  });
}
