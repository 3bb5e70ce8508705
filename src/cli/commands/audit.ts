// `audit [--verify] [--json] [--since DATE]`: the pack's audit trail (issue 23). Read-only, so no lock: a record
// appended meanwhile is simply not shown. --verify checks the whole chain (archives present included) against the
// head kept apart and exits 7 naming the first bad record; --since filters what is shown, never what is verified.
import { recordsSince, verifyChain } from '../../core/audit/chain.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { readAudit } from '../../io/audit-log.js';
import { openPack } from '../../io/pack.js';
import { assertProductHome, resolveHome } from '../../io/state.js';
import { renderAudit, renderVerify } from '../../ui/audit.js';
import { print } from '../print.js';
import type { CommandRun } from '../context.js';

/** `--since 2026-06-01` (midnight UTC) or a full ISO time; anything else is a usage error, not an empty list. */
export function parseSince(value: unknown): number | null {
  if (value === undefined || value === false) return null;
  const s = String(value);
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : /^\d{4}-\d{2}-\d{2}T/.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(ms)) throw new UpdateError('usage', `--since ${s}: expected a date (YYYY-MM-DD, UTC) or an ISO time (2026-06-01T12:00:00Z)`);
  return ms;
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  assertProductHome(openPack(home));
  const since = parseSince(opts.since);
  const { segments, head } = await readAudit(home);
  const report = verifyChain(segments, head);
  if (opts.verify) {
    print(ctx, renderVerify(report, Boolean(opts.json)));
    return report.bad ? EXIT.verification : EXIT.ok;
  }
  const records = since === null ? report.records : recordsSince(report.records, since, Date.parse);
  print(ctx, renderAudit(records, Boolean(opts.json)));
  // Showing a broken trail is still useful; saying it is broken is required.
  if (report.bad) print(ctx, renderVerify(report, false));
  return report.bad ? EXIT.verification : EXIT.ok;
};
