// Doing and undoing journal steps, and the swap that runs them. Every effect is a rename (or a mkdir/rmdir of
// folders a step created), and which half of a step ran is read back from the file system, so undo is idempotent:
// running it twice, or after a crash in the middle of either direction, ends in the same place.
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { assertSafePath, parentsOf } from '../core/paths.js';
import type { ApplyEvent } from '../core/apply-events.js';
import type { FsOps } from '../io/fsops.js';
import type { Step } from '../io/pending-run.js';
import { pool } from '../io/tree.js';
import { generationDir } from '../io/generations.js';
import { packPaths } from '../io/pack.js';

/** Where an apply keeps its staged files and the generation it fills. */
export interface Layout {
  home: string;
  staging: string;
  /** The generation folder; moved-aside files live under `files/`. */
  gen: string;
}

export function layoutOf(home: string, generation: string): Layout {
  return { home, staging: join(packPaths(home).own, 'staging'), gen: generationDir(home, generation) };
}

export const asideOf = (l: Layout, rel: string): string => join(l.gen, 'files', rel);

/**
 * Never write through a symlink: every existing parent of `rel` must be a real folder (lstat, at apply time).
 * `known` (folders already checked in the same read-only pass) skips repeats; each swap step checks afresh.
 */
export async function assertRealParents(ops: FsOps, home: string, rel: string, known?: Set<string>): Promise<void> {
  assertSafePath(rel, 'apply');
  for (const p of parentsOf(rel)) {
    if (known?.has(p)) continue;
    const st = await ops.lstat(join(home, p));
    if (st === null) return;
    if (!st.isDirectory()) {
      throw new UpdateError('stale-plan', `${p} is ${st.isSymbolicLink() ? 'a symlink' : 'not a folder'}; wso2update never writes through it`, {
        paths: [p], hint: 'Restore it as a folder (or plan again) and re-run; nothing more was changed.',
      });
    }
    known?.add(p);
  }
}

/** The folders a step creates, outermost first: its `created` ancestor and everything below it on the way. */
function createdChain(s: Step, top = s.created): string[] {
  return top === null ? [] : parentsOf(s.path).filter((p) => p === top || p.startsWith(`${top}/`));
}

/**
 * Runs one step; returns every folder whose entries it changed (each must be fsynced before the commit): the
 * file's folder, the folder it was moved aside into and those above it up to `generations/`, and the parent of
 * every folder it created or pruned. ext4 happens to make one fsync cover them all; POSIX does not promise it.
 */
export async function doStep(ops: FsOps, l: Layout, s: Step): Promise<string[]> {
  const abs = join(l.home, s.path);
  const dirs = new Set<string>([join(abs, '..')]);
  await assertRealParents(ops, l.home, s.path);
  if (s.aside) {
    await ops.rename(abs, asideOf(l, s.path));
    for (const p of ['..', '', 'files', ...parentsOf(s.path).map((q) => join('files', q))]) dirs.add(join(l.gen, p));
  }
  if (s.discardTo !== null) await ops.rename(abs, join(l.staging, s.discardTo));
  for (const d of createdChain(s, s.pruned).reverse()) {
    if ((await ops.lstat(join(l.home, d))) === null) continue;
    if ((await ops.readdir(join(l.home, d))).length > 0) break;
    await ops.rmdir(join(l.home, d));
    dirs.delete(join(l.home, d));
  }
  if (s.src !== null) {
    if (s.created !== null) {
      for (const d of createdChain(s)) {
        if ((await ops.lstat(join(l.home, d))) === null) await ops.mkdir(join(l.home, d));
        dirs.add(join(l.home, d, '..'));
      }
    }
    if ((await ops.lstat(abs)) !== null) {
      throw new UpdateError('stale-plan', `${s.path} appeared while the update ran`, { paths: [s.path], hint: 'Stop whatever writes to the pack and run again.' });
    }
    await ops.rename(join(l.staging, s.src), abs);
  }
  if (s.pruned !== null) dirs.add(join(l.home, s.pruned, '..'));
  return [...dirs];
}

/**
 * Records in each step that moves a staged file in which file that is (its inode: a rename keeps it), once staging
 * is done and before the journal is written, so that undo can tell that file from anything else at its path.
 */
export async function recordStaged(ops: FsOps, l: Layout, steps: readonly Step[]): Promise<void> {
  for (const s of steps) {
    if (s.src === null) continue;
    const st = await ops.lstat(join(l.staging, s.src));
    if (st === null) throw new UpdateError('io', `the staged file ${join(l.staging, s.src)} is missing`, { hint: 'Something removed it while the update ran; run again.' });
    s.ino = st.ino;
  }
}

/**
 * Whether undoing `s` takes out of the pack the file the step moved in: null when it takes nothing out (the staged
 * file is still in staging, or nothing is at the path), else whether the file there is the very one staged. Undo
 * (and recover's check of a journal before it starts) never moves anything else out: a torn or forged journal must
 * not make a user's file the update's.
 */
export async function movedIn(ops: FsOps, l: Layout, s: Step): Promise<boolean | null> {
  if (s.src === null || (await ops.lstat(join(l.staging, s.src))) !== null) return null;
  const st = await ops.lstat(join(l.home, s.path));
  if (st === null) return null;
  return s.ino !== undefined && st.ino === s.ino;
}

/** Undoes whatever part of `s` happened. Safe to repeat. */
export async function undoStep(ops: FsOps, l: Layout, s: Step): Promise<void> {
  const abs = join(l.home, s.path);
  const ours = await movedIn(ops, l, s);
  if (ours === false) {
    throw new UpdateError('invalid-input', `${s.path} is not the file the update moved in; wso2update leaves it where it is`, {
      paths: [s.path], hint: 'Check that file by hand: something replaced it while the update ran, or the journal is damaged.',
    });
  }
  if (ours === true && s.src !== null) await ops.rename(abs, join(l.staging, s.src));
  if (s.created !== null) {
    for (const d of createdChain(s).reverse()) {
      const st = await ops.lstat(join(l.home, d));
      if (st === null) continue;
      if (!st.isDirectory() || (await ops.readdir(join(l.home, d))).length > 0) break;
      await ops.rmdir(join(l.home, d));
    }
  }
  if (s.discardTo !== null && (await ops.lstat(join(l.staging, s.discardTo))) !== null && (await ops.lstat(abs)) === null) {
    await ops.rename(join(l.staging, s.discardTo), abs);
  }
  for (const d of createdChain(s, s.pruned)) if ((await ops.lstat(join(l.home, d))) === null) await ops.mkdir(join(l.home, d));
  if (s.aside && (await ops.lstat(asideOf(l, s.path))) !== null && (await ops.lstat(abs)) === null) {
    await ops.rename(asideOf(l, s.path), abs);
  }
}

/**
 * Renames every step, then fsyncs each folder the steps changed once, all at the same time (they are independent,
 * and the commit waits for every one); stops between steps on an interrupt.
 */
export async function swap(ops: FsOps, l: Layout, steps: readonly Step[], isInt: () => boolean, emit: (e: ApplyEvent) => void): Promise<void> {
  const dirs = new Set<string>();
  for (let i = 0; i < steps.length; i++) {
    await checkpoint(isInt, i);
    for (const d of await doStep(ops, l, steps[i])) dirs.add(d);
    emit({ type: 'step', done: i + 1, total: steps.length });
  }
  // A later step may have pruned a folder an earlier one touched: only what still exists needs its entries durable.
  const sync = pool(16);
  for (const d of dirs) {
    if ((await ops.lstat(d)) !== null) await sync.run(() => ops.fsyncDir(d));
  }
  await sync.drain();
}

/**
 * Where a run notices an interrupt. The renames and metadata calls are synchronous (io/fsops.ts), so a signal's
 * handler runs only when the event loop turns: without this yield, SIGINT during a 1,500-file swap was seen only
 * after the commit, and the run said "rolling back" and then "Applied" (issue 17). Turning the loop every few
 * steps bounds that wait to milliseconds at a cost too small to measure.
 */
export async function checkpoint(isInt: () => boolean, i = 0): Promise<void> {
  if (i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
  if (isInt()) throw interrupted();
}
const YIELD_EVERY = 32;

export function interrupted(): UpdateError {
  return new UpdateError('interrupted', 'interrupted: every change made so far was rolled back', {
    hint: 'Run the command again when ready.',
  });
}
