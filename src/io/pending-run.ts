// The write-ahead journal of an apply (updates/wso2update/journal.json), as a record of the pack: its format, its
// reading, and journalStatus, the one answer to "is a run pending here?" that planning, status, recover and the
// executor all ask (so it sits below them, with the pack's other records). Only the executor writes or deletes it
// (apply/journal.ts). It is written and fsynced before the first change to the pack and deleted as the very last
// act of a commit: while it exists, the pack is mid-update and every command but `recover` (and `apply --continue` /
// `revert` when it waits on conflicts) refuses to run. The lock is a separate question (io/lock.ts).
import { UpdateError } from '../core/errors.js';
import type { RunIdentity } from '../core/model.js';
import { assertSafePath } from '../core/paths.js';

import { parseChecked } from './record-schemas.js';
import type { Pack } from './pack.js';

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
  /** With `src`: the staged file's inode, so that undo takes out only that file (apply/steps.ts movedIn). */
  ino?: number;
}

export interface JournalConflict {
  path: string;
  reason: string;
  /** Mode the resolved file gets (the target's, else the user's). */
  mode: string;
  /**
   * Whether the user had something at the path, and whether the update ships one (absent in journals written before
   * they were recorded: read as true). They decide which ways out the messages offer (ui/conflict-help.ts).
   */
  mine?: boolean;
  theirs?: boolean;
}

/** The run (core/model.ts RunIdentity) and the generation it fills, with how far it got. */
export interface Journal extends RunIdentity {
  formatVersion: 1;
  generation: string;
  /**
   * swapping: steps run or ran; awaiting-resolution: steps done, conflicts wait; resolving: a job that ends the wait
   * (`apply --continue`, or a revert of the waiting update) runs its `resolveSteps`, undone back to waiting on failure.
   */
  phase: 'swapping' | 'awaiting-resolution' | 'resolving';
  steps: Step[];
  /** Steps of the job that ends the wait: `.final` files in, helpers discarded, then the commit's own files. */
  resolveSteps: Step[];
  /** The generation the resolving job moves files aside into, when it is not `generation` (a revert's own). */
  resolveGeneration?: string;
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

export async function readJournal({ paths, ops }: Pack): Promise<Journal | null> {
  const file = paths.journal;
  if ((await ops.lstat(file)) === null) return null;
  return parseJournal((await ops.readFile(file)).toString('utf8'), file);
}

/** What a pack's journal means: nothing pending, an update waiting on conflicts, or an interrupted run. */
export type Pending = 'none' | 'waiting' | 'interrupted';

export interface JournalStatus {
  pending: Pending;
  /** The journal, validated; null when none, or when it cannot be read (then `problem` says why). */
  journal: Journal | null;
  /** The journal's phase, or "unreadable": enough for a status line. */
  phase: string | null;
  problem?: unknown;
}

export async function journalStatus({ paths, ops }: Pack): Promise<JournalStatus> {
  const file = paths.journal;
  if ((await ops.lstat(file)) === null) return { pending: 'none', journal: null, phase: null };
  let text = '';
  try {
    text = (await ops.readFile(file)).toString('utf8');
    const journal = parseJournal(text, file);
    return { pending: journal.phase === 'awaiting-resolution' ? 'waiting' : 'interrupted', journal, phase: journal.phase };
  } catch (problem) {
    // Only `recover` may act on it, and it raises `problem` itself: every other command just refuses, naming the
    // phase when the text says a known one (a status line; nothing else is believed of an invalid journal).
    return { pending: 'interrupted', journal: null, phase: rawPhase(text), problem };
  }
}

function rawPhase(text: string): string {
  try {
    const phase = (JSON.parse(text) as { phase?: unknown } | null)?.phase;
    return typeof phase === 'string' && PHASES.includes(phase) ? phase : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

const PHASES: readonly string[] = ['swapping', 'awaiting-resolution', 'resolving'];

/** The refusal of a command that may run only where `allow` holds; null when it may run. */
export function pendingRefusal({ home, paths }: Pack, s: JournalStatus, allow: readonly Pending[] = ['none']): UpdateError | null {
  if (allow.includes(s.pending)) return null;
  if (s.pending === 'waiting') {
    return new UpdateError('needs-recover', 'an update waits for conflicts to be resolved', {
      hint: `Write each <file>.final and run \`wso2update apply --continue --home ${home}\`, or \`wso2update revert --home ${home}\` to undo it.`,
      paths: s.journal?.conflicts.map((c) => c.path),
    });
  }
  if (s.pending === 'interrupted') {
    return new UpdateError('needs-recover', `an interrupted update left a journal in this pack (phase ${s.phase})`, {
      detail: paths.journal, hint: `Run \`wso2update recover --home ${home}\` first.`,
    });
  }
  return new UpdateError('usage', 'no update waits for conflicts in this pack', { hint: 'Run `wso2update apply PLAN` to apply a plan.' });
}

/** journalStatus, refused unless `allow` holds (nothing pending, by default). */
export async function assertPending(pack: Pack, allow: readonly Pending[] = ['none']): Promise<JournalStatus> {
  const s = await journalStatus(pack);
  const refusal = pendingRefusal(pack, s, allow);
  if (refusal) throw refusal;
  return s;
}

/** The sides of each conflict a waiting update holds (none when nothing waits), for the messages that list them. */
export async function waitingSides(pack: Pack): Promise<{ path: string; mine?: boolean; theirs?: boolean }[]> {
  const j = (await journalStatus(pack)).journal;
  return j?.phase === 'awaiting-resolution' ? j.conflicts.map((c) => ({ path: c.path, mine: c.mine, theirs: c.theirs })) : [];
}
