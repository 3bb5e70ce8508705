// Reverting an update that waits on conflicts: its journal's steps are rolled back. The operator may have edited a
// file the update wrote while deciding about the conflicts, and the rollback would move that edit into staging and
// delete it, so, as a normal revert does, drift stops the revert (exit 5), or with --force is kept in a new generation.
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { Observed } from '../core/model.js';
import { assertSafePath, parentsOf } from '../core/paths.js';
import { sameEntry } from '../core/verify.js';
import type { FsOps } from '../io/fsops.js';
import type { Journal, Step } from '../io/journal.js';
import { parseChecked } from '../io/own-schemas.js';
import { readState, writeState } from '../io/state.js';
import { observeMany } from '../io/tree.js';
import type { ApplyOutcome } from './executor.js';
import { HELPER_SUFFIXES } from './from-plan.js';
import { generationDir, newState, revertIdentity } from './generations.js';
import { STAGED_COMMIT, type CommitInput, type GenerationEntry, type GenerationFile } from './job.js';
import { rollBack, withRollbackErrors } from './rollback.js';
import { layoutOf, type Layout } from './steps.js';

/** What the waiting update wrote, per path: the generation record staged beside its commit (checked like one). */
async function writtenEntries(ops: FsOps, l: Layout): Promise<GenerationEntry[]> {
  const file = join(l.staging, STAGED_COMMIT);
  const commit = JSON.parse((await ops.readFile(file)).toString('utf8')) as CommitInput;
  const g = parseChecked<GenerationFile>('generation', JSON.stringify(commit.generation ?? null), file);
  for (const e of g.entries) assertSafePath(e.path, file);
  return g.entries;
}

/**
 * Keeps each drifted file in a new revert generation, recorded in state.json before anything leaves the pack, so no
 * crash or failure can lose it: hard links (a copy where links fail), generation.json, state, and only then are the
 * files taken out of the pack so that the rollback puts back what the update had replaced. Returns the generation's id.
 */
async function keepDrifted(ops: FsOps, l: Layout, j: Journal, drifted: readonly GenerationEntry[], seen: Map<string, Observed>, now: Date): Promise<string> {
  const home = l.home;
  const state = await readState(home);
  const odd = drifted.filter((e) => !['file', 'symlink'].includes((seen.get(e.path) as Observed).kind)).map((e) => e.path);
  if (odd.length > 0) {
    throw new UpdateError('stale-plan', `${odd.length} path(s) the update wrote are now folders or special files: ${odd.join(', ')}`, {
      paths: odd, hint: 'Move them out of the pack and run revert again; nothing was changed.',
    });
  }
  const { id, planDigest } = revertIdentity(state, j.generation, j.fromLevel, j.toLevel);
  const dir = generationDir(home, id);
  await ops.rmTree(dir); // a leftover of an attempt that failed before state named it
  await ops.mkdir(dir);
  try {
    const dirs = new Set<string>([dir]);
    for (const e of drifted) {
      for (const p of ['files', ...parentsOf(e.path).map((x) => `files/${x}`)]) {
        dirs.add(join(dir, p));
        if ((await ops.lstat(join(dir, p))) === null) await ops.mkdir(join(dir, p));
      }
      const [from, to] = [join(home, e.path), join(dir, 'files', e.path)];
      await ops.link(from, to).catch(() => ops.copyFile(from, to));
    }
    const g: GenerationFile = {
      formatVersion: 1, id, planDigest, direction: 'revert', product: j.product, fromLevel: j.toLevel, toLevel: j.fromLevel,
      entries: drifted.map((e) => ({ path: e.path, before: seen.get(e.path) as Observed, after: e.before, created: null })),
    };
    await ops.writeFile(join(dir, 'generation.json'), `${JSON.stringify(g, null, 2)}\n`, 0o644);
    for (const e of drifted) if ((seen.get(e.path) as Observed).kind === 'file') await ops.fsyncFile(join(dir, 'files', e.path));
    await ops.fsyncFile(join(dir, 'generation.json'));
    for (const d of dirs) await ops.fsyncDir(d);
  } catch (err) {
    await ops.rmTree(dir).catch(() => undefined);
    throw err;
  }
  const rec = { id, fromLevel: j.toLevel, toLevel: j.fromLevel, planDigest, committedAt: now.toISOString(), direction: 'revert' as const };
  const next = newState(state, rec, state.manifestDigest, { level: state.level });
  await writeState(home, next.state);
  // Out of the pack, as the rollback's own undo leaves a step: a written file goes back to its staged name (so a
  // second, retried rollback still sees that half as undone); where the update wrote nothing it is unlinked.
  for (const e of drifted) {
    const src = j.steps.find((x) => x.path === e.path)?.src ?? null;
    await (src === null ? ops.unlink(join(home, e.path)) : ops.rename(join(home, e.path), join(l.staging, src)));
  }
  for (const old of next.drop) await ops.rmTree(generationDir(home, old)).catch(() => undefined);
  return id;
}

/** Undoes `steps`, then removes staging, the waiting update's generation and the journal (kept on any error). */
async function rollBackWaiting(ops: FsOps, l: Layout, steps: Step[], drifted: string[], generation: string): Promise<ApplyOutcome & { drifted: string[] }> {
  const errors = await rollBack(ops, l, steps);
  if (errors.length > 0) throw withRollbackErrors(new UpdateError('io', 'could not roll back the waiting update'), errors, l.home);
  return { status: 'applied', generation, conflicts: [], steps: steps.length, warnings: [], drifted };
}

/** Rolls back the update that waits on conflicts; an edit to a file it wrote stops it, or is kept with --force. */
export async function revertWaiting(home: string, ops: FsOps, j: Journal, opts: { force: boolean; now: Date }): Promise<ApplyOutcome & { drifted: string[] }> {
  const l = layoutOf(home, j.generation);
  // While conflicts wait, staging always holds the staged commit; without it an earlier rollback undid every step
  // (staging is removed only then) and failed just short of the end. Undoing again would take the restored files
  // for the update's (their staged names are gone) and delete them, so only the cleanup is finished.
  if ((await ops.lstat(join(l.staging, STAGED_COMMIT))) === null) return rollBackWaiting(ops, l, [], [], j.generation);
  // The helpers (.original, .new) are the update's scratch files and a .final is the user's own: neither is drift.
  const helpers = new Set(j.conflicts.flatMap((c) => HELPER_SUFFIXES.map((s) => `${c.path}${s}`)));
  const entries = (await writtenEntries(ops, l)).filter((e) => !helpers.has(e.path));
  const seen = await observeMany(home, entries.map((e) => e.path), 16);
  // Drift is what the rollback would destroy: neither what the update wrote nor what it replaced (a path already put
  // back by an earlier, failed attempt is not drift), nor nothing at all (a deleted file loses no edit).
  const lost = (e: GenerationEntry, o: Observed) => o.kind !== 'absent' && !sameEntry(o, e.after) && !sameEntry(o, e.before);
  const drifted = entries.filter((e) => lost(e, seen.get(e.path) as Observed));
  if (drifted.length > 0 && !opts.force) {
    throw new UpdateError('stale-plan', `${drifted.length} file(s) the waiting update wrote were changed since; rolling it back would lose those edits`, {
      paths: drifted.map((e) => e.path),
      hint: 'Nothing was reverted. Keep copies of your edits and run `wso2update revert --force` (it keeps the edited files in a new generation), or resolve the conflicts and run `apply --continue`.',
    });
  }
  const kept = drifted.length > 0 ? await keepDrifted(ops, l, j, drifted, seen, opts.now) : null;
  return rollBackWaiting(ops, l, j.steps, drifted.map((e) => e.path), kept ?? j.generation);
}
