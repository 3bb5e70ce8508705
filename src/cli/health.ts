// `apply --health-cmd CMD [--health-timeout SECONDS]` at the edge: the flags are checked before anything is
// applied; after a commit the check runs (an interrupt stops it, which counts as a failure), its verdict and last
// lines go to the daily log, and a failed check's revert runs as a logged session of its own. Exit 8 is thrown.
import { healthGate, revertThisUpdate } from '../apply/health-gate.js';
import { changesFiles } from '../core/plan/effect.js';
import { UpdateError } from '../core/errors.js';
import { healthLogLines } from '../core/health.js';
import type { Plan } from '../core/model.js';
import { runHealthCheck } from '../io/health-check.js';
import { appendLog } from '../io/log.js';
import { openPack } from '../io/pack.js';
import { readState } from '../io/state.js';
import { healthFailureDetail, writeHealthPassed, writeHealthSkipped, writeHealthStart } from '../ui/health.js';
import { inSession } from './apply-session.js';
import type { CliContext, RawOptions } from './context.js';
import { optString } from './options.js';

export interface HealthFlags {
  cmd: string;
  timeoutS: number;
}

/** Five minutes: a WSO2 server's start takes one to three. */
export const DEFAULT_HEALTH_TIMEOUT_S = 300;

export function optHealth(opts: RawOptions): HealthFlags | undefined {
  const cmd = optString(opts, 'healthCmd', 'health-cmd');
  const t = opts.healthTimeout;
  if (cmd === undefined) {
    if (t !== undefined) throw new UpdateError('usage', '--health-timeout goes with --health-cmd', { hint: 'Give the check to run: --health-cmd "CMD".' });
    return undefined;
  }
  if (cmd.trim() === '') throw new UpdateError('usage', '--health-cmd is empty', { hint: 'Give a command, e.g. --health-cmd "curl -fsS http://127.0.0.1:9763/health".' });
  const timeoutS = t === undefined ? DEFAULT_HEALTH_TIMEOUT_S : Number(optString(opts, 'healthTimeout', 'health-timeout'));
  if (!Number.isFinite(timeoutS) || timeoutS <= 0 || timeoutS > 86400) {
    throw new UpdateError('usage', `--health-timeout must be a number of seconds above 0 (at most 86400), got ${JSON.stringify(t)}`, { hint: `The default is ${DEFAULT_HEALTH_TIMEOUT_S}.` });
  }
  return { cmd, timeoutS };
}

/** After a committed apply: run the check; on failure revert this update and throw exit 8. */
export async function checkHealth(ctx: CliContext, home: string, flags: HealthFlags, generation: string, plan: Plan | null): Promise<void> {
  if (plan !== null && !changesFiles(plan)) {
    writeHealthSkipped(ctx.stderr);
    await appendLog(home, ctx.now(), [`health check \`${flags.cmd}\` not run: the plan made no changes`]);
    return;
  }
  const applied = (await readState(openPack(home))).generations.find((g) => g.id === generation);
  if (!applied) throw new UpdateError('internal', `the committed update ${generation} is not in the pack's record`);
  writeHealthStart(ctx.stderr, flags.cmd, home, flags.timeoutS);
  const abort = new AbortController();
  const off = ctx.onSignal(() => abort.abort());
  const verdict = await healthGate({
    home, level: applied.toLevel,
    check: () => runHealthCheck(flags.cmd, { cwd: home, timeoutMs: flags.timeoutS * 1000, env: ctx.env, signal: abort.signal, kill: (pid, sig) => process.kill(pid, sig) }).finally(off),
    // Logged before the revert starts, so the log holds the check's last lines even if the revert fails.
    onVerdict: (check) => appendLog(home, ctx.now(), healthLogLines(flags.cmd, check)),
    revert: () => inSession(ctx, home, `revert ${generation} (health check failed)`, (s) => revertThisUpdate(openPack(home, s.ops), generation, { now: ctx.now(), owner: ctx.owner, hooks: s.hooks }),
      (r) => [`generation ${r.generation}`, ...r.drifted.map((d) => `kept changed ${d}`)]),
  });
  if (verdict.healthy) {
    writeHealthPassed(ctx.stderr, verdict.check);
    return;
  }
  const r = verdict.reverted;
  throw new UpdateError('health-check-failed', 'health check failed; reverted', {
    detail: healthFailureDetail(flags.cmd, verdict.check, { fromLevel: applied.toLevel, toLevel: applied.fromLevel, drifted: r.drifted, generation: r.generation }),
    hint: `The pack is back at level ${applied.fromLevel}. Read the check's output above (and updates/logs/), fix the cause, then roll out again.`,
  });
}
