// `recover`: finish what an interrupted run left (a rollback; an interrupted --continue goes back to waiting).
// Idempotent; with no journal it says so and exits 0. A conflicted apply that waits exits 3 and says what to do.
import { withPackLock } from '../../apply/pack-lock.js';
import { recover } from '../../apply/recover.js';
import { EXIT } from '../../core/errors.js';
import { openPack } from '../../io/pack.js';
import { waitingSides } from '../../io/pending-run.js';
import { resolveHome } from '../../io/state.js';
import { writeApplyReport } from '../../ui/apply-report.js';
import type { CommandRun } from '../context.js';
import { inSession } from '../apply-session.js';
import { recordRun } from '../audit-trail.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  const r = await inSession(ctx, home, 'recover', () => withPackLock(openPack(home), ctx.owner, (_, pack) => recover(pack), ['none', 'waiting', 'interrupted']), (x) => [x.outcome]);
  const sides = r.outcome === 'waiting' ? await waitingSides(openPack(home)) : undefined;
  const code = r.outcome === 'waiting' ? EXIT.conflicts : EXIT.ok;
  // The interrupted run's own record (rolled back, or applied when its commit was reached) is settled first, then this one.
  await recordRun(ctx, home, { command: 'recover', planDigest: null, approvers: [], fromLevel: null, toLevel: null, result: r.outcome === 'waiting' ? 'waiting' : 'recovered', exitCode: code, filesChanged: 0, detail: `recover: ${r.outcome}` });
  writeApplyReport(ctx, { prog: ctx.prog, shell: ctx.shell, home }, { command: 'recover', status: r.outcome, home, conflicts: r.conflicts, ...(sides ? { sides } : {}), warnings: [], swept: r.swept }, Boolean(opts.json));
  return code;
};
