// What every command that changes a pack (or refuses to) writes to the audit trail (issue 23): who and where come
// from this process (cli/ is where the outside world is read), the rest from the command. Appending is under the
// pack's lock, which the caller holds.
import { hostname, userInfo } from 'node:os';
import type { AuditEntry, AuditRecord } from '../core/audit/chain.js';
import { appendAudit } from '../io/audit-log.js';
import type { CliContext } from './context.js';

export type RunFacts = Omit<AuditEntry, 'time' | 'user' | 'host'>;

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

export const recordRun = (ctx: Pick<CliContext, 'env' | 'now'>, home: string, facts: RunFacts): Promise<AuditRecord> =>
  appendAudit(home, { ...whoAndWhere(ctx), ...facts });
