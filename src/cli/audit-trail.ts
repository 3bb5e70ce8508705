// What every command that changes a pack (or refuses to) writes to the audit trail (issue 23): who and where come
// from this process (cli/ is where the outside world is read), the rest from the command.
// An apply is recorded crash-safely without reaching into the executor: beginRun leaves a pending record before
// anything changes, endRun appends the outcome and removes it; after a crash, settlePending (run before every
// append and by `audit`) decides from the pack's state: serial moved on -> applied, else rolled back, and waits
// while a journal says the run is not over (recover decides that).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { AuditEntry, AuditRecord } from '../core/audit/chain.js';
import { appendAudit, readPending, removePending, writePending } from '../io/audit-log.js';
import { journalPath, readState } from '../io/state.js';
import type { CliContext } from './context.js';

export type RunFacts = Omit<AuditEntry, 'time' | 'user' | 'host'>;
type Ctx = Pick<CliContext, 'env' | 'now'>;

/** The login name (USER/USERNAME as the shell sets them, else the account), and the host's name. */
export function whoAndWhere(ctx: Ctx): Pick<AuditEntry, 'time' | 'user' | 'host'> {
  let user = ctx.env.USER ?? ctx.env.USERNAME ?? '';
  if (!user) {
    try {
      user = userInfo().username;
    } catch {
      user = 'unknown';
    }
  }
  return { time: ctx.now().toISOString(), user, host: hostname() };
}

/** Settles a run a crash left pending: once no journal remains, the state says whether it committed. */
export async function settlePending(ctx: Ctx, home: string): Promise<AuditRecord | null> {
  const p = await readPending(home);
  if (p === null || existsSync(journalPath(home))) return null;
  const state = await readState(home);
  const committed = state.serial > p.serialBefore;
  const rec = await appendAudit(home, {
    ...p.entry, time: ctx.now().toISOString(),
    result: committed ? 'applied' : 'rolled-back', exitCode: committed ? 0 : 1,
    filesChanged: committed ? p.entry.filesChanged : 0,
    toLevel: committed ? state.level : p.levelBefore,
    detail: `recorded after an interruption (the run ended without writing its record): ${committed ? `the pack is at serial ${state.serial}, level ${state.level}` : 'the pack is as it was before'}`,
  });
  await removePending(home);
  return rec;
}

export async function recordRun(ctx: Ctx, home: string, facts: RunFacts): Promise<AuditRecord> {
  await settlePending(ctx, home);
  return appendAudit(home, { ...whoAndWhere(ctx), ...facts });
}

/**
 * Before an apply changes anything: what it is about to do, to be settled if this process never gets to endRun.
 * Returns the run's id, which endRun's record carries too, so the run is recorded once whoever records it.
 */
export async function beginRun(ctx: Ctx, home: string, facts: RunFacts): Promise<string> {
  await settlePending(ctx, home);
  const state = await readState(home);
  const run = randomUUID();
  await writePending(home, { entry: { ...whoAndWhere(ctx), ...facts, run }, serialBefore: state.serial, levelBefore: state.level });
  return run;
}

/** After the run: its real outcome; the pending record goes only once this one is appended. */
export async function endRun(ctx: Ctx, home: string, run: string, facts: RunFacts): Promise<AuditRecord> {
  const rec = await appendAudit(home, { ...whoAndWhere(ctx), ...facts, run });
  await removePending(home);
  return rec;
}
