// Wraps the commands that change a pack so each run leaves exactly one audit record (issue 23): the outcome by
// exit code, the plan, its approvers and levels. A pack that is not adopted has no trail: the command runs as it
// did, and fails with its own message. A busy refusal (another updater holds the pack) leaves no record.
import { existsSync } from 'node:fs';
import type { AuditResult } from '../core/audit/chain.js';
import { EXIT, exitCodeOf } from '../core/errors.js';
import type { Plan } from '../core/model.js';
import { openPack } from '../io/pack.js';
import { beginRun, dropRun, endRun, recordRun, type RunFacts } from './audit-trail.js';
import type { CliContext } from './context.js';

export interface AuditedRun {
  command: string;
  plan: Plan | null;
  approvers: string[];
  /** Levels when there is no plan (apply --continue, recover, revert): what the journal or state says. */
  fromLevel?: number | null;
  toLevel?: number | null;
}

export function resultOf(code: number, revert: boolean): AuditResult {
  switch (code) {
    case EXIT.ok: return revert ? 'reverted' : 'applied';
    case EXIT.conflicts: return 'waiting';
    case EXIT.reverted: case EXIT.healthFailed: return 'reverted';
    case EXIT.interrupted: case EXIT.terminated: return 'rolled-back';
    case EXIT.stale: case EXIT.busy: case EXIT.verification: return 'refused';
    default: return 'failed';
  }
}

/** Files a plan changes when applied (a conflict left for the operator changes nothing until --continue). */
export const filesChangedBy = (plan: Plan | null): number =>
  plan === null ? 0 : plan.actions.filter((a) => a.action !== 'conflict' || a.resolution === 'take-theirs').length;

const factsOf = (r: AuditedRun, code: number, detail?: string): RunFacts => ({
  command: r.command, planDigest: r.plan?.digest ?? null, approvers: r.approvers,
  fromLevel: r.plan?.fromLevel ?? r.fromLevel ?? null, toLevel: r.plan?.toLevel ?? r.toLevel ?? null,
  result: resultOf(code, r.plan?.direction === 'revert'), exitCode: code,
  filesChanged: code === EXIT.ok || code === EXIT.conflicts ? filesChangedBy(r.plan) : 0,
  ...(detail ? { detail } : {}),
});

const adopted = (home: string): boolean => existsSync(openPack(home).paths.state);

/** Runs `fn` (which returns the exit code or throws) between a pending record and its outcome. */
export async function audited(ctx: CliContext, home: string, r: AuditedRun, fn: () => Promise<number>): Promise<number> {
  if (!adopted(home)) return fn();
  const run = await beginRun(ctx, home, factsOf(r, EXIT.ok));
  let code: number;
  try {
    code = await fn();
  } catch (err) {
    const c = exitCodeOf(err);
    if (c === EXIT.busy) await dropRun(home, run);
    else await endRun(ctx, home, run, factsOf(r, c, (err as Error).message)).catch(() => undefined);
    throw err;
  }
  await endRun(ctx, home, run, factsOf(r, code));
  return code;
}

/** Records a refusal that came before anything ran (approvals, digest, stale): the error is rethrown by the caller. */
export async function auditRefusal(ctx: CliContext, home: string, r: AuditedRun, err: unknown): Promise<void> {
  const code = exitCodeOf(err);
  if (!adopted(home) || (code !== EXIT.verification && code !== EXIT.stale)) return;
  await recordRun(ctx, home, factsOf(r, code, (err as Error).message)).catch(() => undefined);
}
