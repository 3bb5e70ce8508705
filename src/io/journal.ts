// The write-ahead journal of an apply (updates/wso2update/journal.json). It is written and fsynced before the
// first change to the pack and deleted as the very last act of a commit: while it exists, the pack is mid-update
// and every command but `recover` (and `apply --continue` / `revert` when it waits on conflicts) refuses to run.
import { dirname } from 'node:path';
import { assertSafePath } from '../core/paths.js';
import type { FsOps } from './fsops.js';
import { parseChecked } from './own-schemas.js';
import { journalPath } from './state.js';

/**
 * One reversible move. Forward: if `aside`, what is at `path` is renamed into the generation (`files/<path>`);
 * if `src`, `staging/<src>` is renamed to `path` (creating folders from `created` down); if `discardTo`, what is at
 * `path` is renamed to `staging/<discardTo>` (removed at commit). Which half ran is read back from the file system
 * (a staged name that is gone was moved in), so the journal is written once per phase, not once per step.
 */
export interface Step {
  path: string;
  aside: boolean;
  src: string | null;
  created: string | null;
  discardTo: string | null;
  /** After moving the file aside, remove the folders it leaves empty, from its parent up to this one (revert of a creation). */
  pruned: string | null;
}

export interface JournalConflict {
  path: string;
  reason: string;
  /** Mode the resolved file gets (the target's, else the user's). */
  mode: string;
}

export interface Journal {
  formatVersion: 1;
  planDigest: string;
  generation: string;
  direction: 'update' | 'revert';
  product: string;
  fromLevel: number;
  toLevel: number;
  /** swapping: steps run or ran; awaiting-resolution: steps done, conflicts wait; resolving: `apply --continue` runs. */
  phase: 'swapping' | 'awaiting-resolution' | 'resolving';
  steps: Step[];
  /** Steps of `apply --continue`: installing `.final` files, discarding helpers, then the commit's own files. */
  resolveSteps: Step[];
  conflicts: JournalConflict[];
}

export function parseJournal(text: string, file: string): Journal {
  const j = parseChecked<Journal>('journal', text, file);
  for (const s of [...j.steps, ...j.resolveSteps]) {
    assertSafePath(s.path, file);
    if (s.created !== null) assertSafePath(s.created, file);
    if (s.pruned !== null) assertSafePath(s.pruned, file);
  }
  for (const c of j.conflicts) assertSafePath(c.path, file);
  return j;
}

export async function readJournal(home: string, ops: FsOps): Promise<Journal | null> {
  const file = journalPath(home);
  if ((await ops.lstat(file)) === null) return null;
  return parseJournal((await ops.readFile(file)).toString('utf8'), file);
}

/** Atomic and durable: temp file, fsync, rename, fsync the folder. */
export async function writeJournal(home: string, journal: Journal, ops: FsOps): Promise<void> {
  const file = journalPath(home);
  const tmp = `${file}.tmp`;
  if ((await ops.lstat(tmp)) !== null) await ops.unlink(tmp);
  try {
    await ops.writeFile(tmp, `${JSON.stringify(journal)}\n`, 0o600);
    await ops.fsyncFile(tmp);
    await ops.rename(tmp, file);
  } catch (err) {
    await ops.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await ops.fsyncDir(dirname(file));
}

/** The commit point: once this unlink is durable the update has happened. */
export async function deleteJournal(home: string, ops: FsOps): Promise<void> {
  const file = journalPath(home);
  await ops.unlink(file);
  await ops.fsyncDir(dirname(file));
}
