// What the applier does with generations (a generation's record and where it keeps files: io/generations.ts): the
// state a commit records (its run appended, the oldest dropped beyond `keepGenerations`, default 3), a revert's own
// id, and restoring from a kept generation (the sources, each kept copy checked before it is used).
import { join } from 'node:path';
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { GenerationRecord, Observed, PackState, RunIdentity, Sha256 } from '../core/model.js';
import type { FsOps } from '../io/fsops.js';
import type { Item, Source } from './job.js';

/**
 * A revert's generation id, from the serial it starts at and the levels it undoes (fromLevel -> toLevel, undone by
 * going back), and the digest that stands in for a plan where there is none (rolling back a waiting update; a
 * revert plan records its own digest).
 */
export function revertIdentity(state: PackState, undone: string, fromLevel: number, toLevel: number): { id: string; planDigest: Sha256 } {
  return { id: `g${state.serial + 1}-r${toLevel}-${fromLevel}`, planDigest: digestOf({ revert: undone, serial: state.serial }) };
}

/** The state's record of a run: its identity without the product (the state is of one product), in the record's key order. */
export const recordOf = (id: string, r: RunIdentity, committedAt: string): GenerationRecord =>
  ({ id, fromLevel: r.fromLevel, toLevel: r.toLevel, planDigest: r.planDigest, committedAt, direction: r.direction });

/** The state a commit records: new level, serial + 1, manifest digest, the generation appended, the oldest pruned. */
export function newState(state: PackState, record: GenerationRecord, manifestDigest: Sha256, opts: { level?: number; remove?: string[]; keepRecord?: boolean } = {}): { state: PackState; drop: string[] } {
  let gens = state.generations.filter((g) => !opts.remove?.includes(g.id));
  if (opts.keepRecord !== false) gens = [...gens, record];
  const keep = Math.max(1, state.keepGenerations);
  const drop = gens.slice(0, Math.max(0, gens.length - keep)).map((g) => g.id);
  gens = gens.slice(gens.length - Math.min(gens.length, keep));
  return {
    state: { ...state, level: opts.level ?? record.toLevel, serial: state.serial + 1, manifestDigest, generations: gens },
    drop: [...drop, ...(opts.remove ?? [])],
  };
}

/** What restores a kept entry: its copy under files/ (hard-linked), a symlink, or nothing (it was absent). */
export function restoreSource(genDir: string, path: string, e: Observed): Source | null {
  if (e.kind === 'file') return { kind: 'copy', abs: join(genDir, 'files', path), mode: e.mode, size: e.size, link: true };
  if (e.kind === 'symlink') return { kind: 'symlink', target: e.target };
  return null;
}

/**
 * Each kept copy must still be the file its record names (sha256, size, a regular file): a kept jar replaced since
 * would otherwise be installed by the revert. Checked before anything is written; a mismatch is exit 7.
 */
export async function verifyKept(ops: FsOps, items: readonly Item[]): Promise<void> {
  const bad: string[] = [];
  for (const it of items) {
    if (it.source?.kind !== 'copy' || it.after.kind !== 'file') continue;
    const st = await ops.lstat(it.source.abs);
    const got = st?.isFile() ? await ops.hashFile(it.source.abs) : null;
    if (got === null || got.sha256 !== it.after.sha256 || got.size !== it.after.size) bad.push(it.path);
  }
  if (bad.length > 0) {
    throw new UpdateError('verification', `${bad.length} kept file(s) of the generation are not the files it recorded when they were kept`, {
      paths: bad, hint: 'The generation was damaged or tampered with, so revert cannot restore it; nothing was changed. Restore the pack from a backup.',
    });
  }
}
