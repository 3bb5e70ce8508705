// What every command that changes a pack (or refuses to) writes to the audit trail (issue 23): who and where come
// from this process (cli/ is where the outside world is read), the rest from the command.
// An apply is recorded crash-safely without reaching into the executor: beginRun leaves a pending record before
// anything changes, endRun appends the outcome and removes it; after a crash, the next record (or `audit`) settles
// it from the pack's state: serial moved on -> applied, else rolled back; not while its process lives or a journal
// says the run is not over (recover decides that). Every append is under the pack's lock, so the chain never forks.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import type { AuditEntry, AuditRecord } from '../core/audit/chain.js';
import { UpdateError } from '../core/errors.js';
import { appendAudit, listPending, removePending, writePending } from '../io/audit-log.js';
import { acquireLock } from '../io/lock.js';
import { openPack } from '../io/pack.js';
import { readState } from '../io/state.js';
import type { CliContext } from './context.js';

export type RunFacts = Omit<AuditEntry, 'time' | 'user' | 'host'>;
type Ctx = Pick<CliContext, 'env' | 'now' | 'owner'>;

/** The login name (USER/USERNAME as the shell sets them, else the account), and the host's name. */
export function whoAndWhere(ctx: Pick<CliContext, 'env' | 'now'>): Pick<AuditEntry, 'time' | 'user' | 'host'> {
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

/** Where and by whom a plan is made, for its review page (the planner leaves them out of a portable plan). */
export function madeOn(ctx: Pick<CliContext, 'env' | 'now'>, home: string): { host: string; packPath: string; madeBy: string } {
  const w = whoAndWhere(ctx);
  return { host: w.host, packPath: home, madeBy: `${w.user}@${w.host}` };
}

/** How long a record waits for the pack's lock (another run's record, or a short command) before giving up. */
const LOCK_WAIT_MS = 15_000;

/**
 * Runs `fn` under the pack's lock, waiting for it a while: appends must not interleave (they would fork the chain),
 * and the lock is what every writer of the pack already respects. Busy for longer: the caller's record stays pending
 * (settled later) or, for a refusal, is not written.
 */
async function underLock<T>(ctx: Ctx, home: string, fn: () => Promise<T>, waitMs = LOCK_WAIT_MS, afterRun = false): Promise<T> {
  // These appends run outside apply's session, where no interrupt handler is installed: a Ctrl-C or SIGTERM while
  // the lock is held would end the process with the lock file left behind. So a signal is held until the append is
  // done and the lock released (a few milliseconds; while waiting for the lock it stops the wait at once), and then
  // raised again, to whatever handler is current or, with none, the default action the shell expects; but not after
  // the run, whose exit code is then the truth.
  const signals: NodeJS.Signals[] = [];
  const hold = (s: NodeJS.Signals): void => { signals.push(s); };
  process.on('SIGINT', hold);
  process.on('SIGTERM', hold);
  try {
    const deadline = Date.now() + waitMs;
    for (;;) {
      let lock;
      try {
        lock = await acquireLock(openPack(home), ctx.owner);
      } catch (err) {
        if (!(err instanceof UpdateError) || err.code !== 'busy' || Date.now() > deadline || signals.length > 0) throw err;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      try {
        return await fn();
      } finally {
        await lock.release();
      }
    }
  } finally {
    process.off('SIGINT', hold);
    process.off('SIGTERM', hold);
    // After the run (`afterRun`: its outcome decided, the process about to exit with it), a signal changes nothing the
    // run did, as past apply's point of no return: raised again it killed a finished apply, whose status then said
    // "killed" over an updated pack (test/cli/apply/interrupt.test.ts, once the faster start moved its 120 ms there).
    if (signals.length > 0 && !afterRun) process.kill(process.pid, signals[0]);
  }
}

/**
 * Settles the runs a crash left pending (the caller holds the lock): a run whose process still lives is left alone,
 * and so is one whose journal remains (recover decides it); otherwise the state says whether it committed.
 */
async function settleLocked(ctx: Ctx, home: string): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (const { run, pending: p } of await listPending(home)) {
    const mine = p.owner.pid === ctx.owner.pid && p.owner.start === ctx.owner.start;
    if (!mine && ctx.owner.isAlive(p.owner.pid, p.owner.start)) continue;
    if (existsSync(openPack(home).paths.journal)) continue;
    const state = await readState(openPack(home));
    const committed = state.serial > p.serialBefore;
    out.push(await appendAudit(home, {
      ...p.entry, run, time: ctx.now().toISOString(),
      result: committed ? 'applied' : 'rolled-back', exitCode: committed ? 0 : 1,
      filesChanged: committed ? p.entry.filesChanged : 0,
      toLevel: committed ? state.level : p.levelBefore,
      detail: `recorded after an interruption (the run ended without writing its record): ${committed ? `the pack is at serial ${state.serial}, level ${state.level}` : 'the pack is as it was before'}`,
    }));
    await removePending(home, run);
  }
  return out;
}

export const settlePending = (ctx: Ctx, home: string): Promise<AuditRecord[]> => underLock(ctx, home, () => settleLocked(ctx, home));

/** Records a run that needs no pending record (a refusal before anything changed, a policy change). */
export const recordRun = (ctx: Ctx, home: string, facts: RunFacts): Promise<AuditRecord> =>
  underLock(ctx, home, async () => {
    await settleLocked(ctx, home);
    return appendAudit(home, { ...whoAndWhere(ctx), ...facts });
  }, LOCK_WAIT_MS, true);

/** The same, for a caller that already holds the pack's lock (policy). */
export async function recordRunLocked(ctx: Ctx, home: string, facts: RunFacts): Promise<AuditRecord> {
  await settleLocked(ctx, home);
  return appendAudit(home, { ...whoAndWhere(ctx), ...facts });
}

/**
 * Before an apply changes anything: what it is about to do, to be settled if this process never gets to endRun.
 * Returns the run's id, which endRun's record carries too, so the run is recorded once whoever records it.
 */
export const beginRun = (ctx: Ctx, home: string, facts: RunFacts): Promise<string> =>
  underLock(ctx, home, async () => {
    await settleLocked(ctx, home);
    const state = await readState(openPack(home));
    const run = randomUUID();
    await writePending(home, run, { entry: { ...whoAndWhere(ctx), ...facts, run }, serialBefore: state.serial, levelBefore: state.level, owner: { pid: ctx.owner.pid, start: ctx.owner.start } });
    return run;
  }, 0); // busy at once, as the apply itself would be: a second updater still gets exit 6 without waiting

/** A run that never started (busy: another updater held the pack): no record, its pending one removed. */
export const dropRun = (home: string, run: string): Promise<void> => removePending(home, run);

/** After the run: its real outcome; the pending record goes only once this one is appended. */
export const endRun = (ctx: Ctx, home: string, run: string, facts: RunFacts): Promise<AuditRecord> =>
  underLock(ctx, home, async () => {
    const rec = await appendAudit(home, { ...whoAndWhere(ctx), ...facts, run });
    await removePending(home, run);
    return rec;
  }, LOCK_WAIT_MS, true);
