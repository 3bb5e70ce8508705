// What apply, revert and recover share at the edge: progress on stderr, the two-stage interrupt (first: finish the
// step and roll back; second: exit at once leaving the journal for `recover`), the daily log, and the pack's FsOps
// for the run (wrapped by cli/test-pause.ts only when its test variables are set).
import type { ApplyHooks } from '../apply/executor.js';
import { signalExit, UpdateError } from '../core/errors.js';
import { realFs, type FsOps } from '../io/fsops.js';
import { appendLog } from '../io/log.js';
import { assertProductHome } from '../io/state.js';
import { INTERRUPT_NOTICE, PAST_NO_RETURN_NOTICE } from '../ui/apply-report.js';
import { pasteable } from '../ui/hints.js';
import { createProgress, type RunEnd } from '../ui/progress.js';
import type { CliContext } from './context.js';
import { pausingFs } from './test-pause.js';
import { openPack } from '../io/pack.js';

export interface Session {
  hooks: ApplyHooks;
  /** The file-system operations the run changes the pack with. */
  ops: FsOps;
  /** An interrupt arrived during the session. */
  interrupted(): boolean;
  /** Stops drawing and holds signals from then on (ctx.holdSignals); call before writing anything else to stderr. */
  end(how: RunEnd): Promise<void>;
  log(lines: string[]): Promise<void>;
}

export function startSession(ctx: CliContext, home: string): Session {
  const progress = createProgress(ctx.stderr, ctx.interactive);
  let interrupts = 0;
  const abort = new AbortController();
  const off = ctx.onSignal((signal) => {
    interrupts += 1;
    abort.abort();
    // A second interrupt exits now: the journal stays and `recover` finishes the rollback.
    if (interrupts > 1) ctx.exitNow(signalExit(signal));
    progress.note(pasteable(INTERRUPT_NOTICE, { prog: ctx.prog, shell: ctx.shell, home }));
  });
  return {
    hooks: { onEvent: (e) => progress.event(e), isInterrupted: () => interrupts > 0, signal: abort.signal },
    ops: pausingFs(ctx.env, home, realFs),
    interrupted: () => interrupts > 0,
    async end(how) {
      await progress.finish(how);
      // The outcome is decided (applied, rolled back, waiting): a signal from here on must not end the process with a
      // "killed" over it. Held before the session's handler goes, so no moment is left with Node's default action.
      ctx.holdSignals();
      off();
    },
    log: (lines) => appendLog(home, ctx.now(), lines),
  };
}

/** Runs `work` inside a session, logging the outcome or the error, and always closing the display. */
export async function inSession<T>(ctx: CliContext, home: string, what: string, work: (s: Session) => Promise<T>, describe: (r: T) => string[]): Promise<T> {
  assertProductHome(openPack(home)); // a wrong --home gets no lock file and no log folder
  const s = startSession(ctx, home);
  try {
    const r = await work(s);
    await s.end((r as { status?: unknown }).status === 'conflicts' ? 'waiting' : 'ok');
    // It succeeded although interrupted: the interrupt came past the point of no return, and the operator, told
    // "rolling back" at the signal, must hear that it did not.
    if (s.interrupted()) ctx.stderr.write(pasteable(PAST_NO_RETURN_NOTICE, { prog: ctx.prog, shell: ctx.shell, home }));
    await s.log([`${what}: ${describe(r).join('; ')}`]);
    return r;
  } catch (err) {
    await s.end('failed');
    const e = err as UpdateError;
    await s.log([`${what} failed: ${e.message}${e.paths ? ` [${e.paths.slice(0, 20).join(', ')}]` : ''}`]);
    throw err;
  }
}
