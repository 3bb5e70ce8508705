// One error class for every failure, carrying a stable code and the exit code it maps to (DESIGN.md's table).
// Effects throw it; `cli/` catches it once and `ui/` renders it. The hint says what to do next.

export const EXIT = {
  ok: 0,
  error: 1,
  selfUpdated: 2,
  conflicts: 3,
  reverted: 4,
  stale: 5,
  busy: 6,
  verification: 7,
  healthFailed: 8,
  changes: 10,
  /** Interrupted before the commit point and rolled back: the shell's 128 + the signal (SIGINT 2, SIGTERM 15). */
  interrupted: 130,
  terminated: 143,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export type ErrorCode =
  | 'usage' // bad command-line value
  | 'invalid-input' // a file we read is malformed (schema, YAML, JSON)
  | 'hostile-path' // a path escapes the pack or is not normalized
  | 'not-found'
  | 'io'
  | 'network'
  | 'stale-plan'
  | 'busy'
  | 'needs-recover'
  | 'running'
  | 'verification'
  | 'conflicts'
  | 'interrupted' // SIGINT/SIGTERM during apply: rolled back
  | 'health-check-failed' // apply --health-cmd: the check failed after the commit, and the update was reverted
  | 'internal';

const EXIT_OF: Record<ErrorCode, ExitCode> = {
  usage: EXIT.error,
  'invalid-input': EXIT.error,
  'hostile-path': EXIT.error,
  'not-found': EXIT.error,
  io: EXIT.error,
  network: EXIT.error,
  'stale-plan': EXIT.stale,
  busy: EXIT.busy,
  'needs-recover': EXIT.busy,
  running: EXIT.busy,
  verification: EXIT.verification,
  conflicts: EXIT.conflicts,
  interrupted: EXIT.interrupted, // 143 when the signal was SIGTERM: see exitCodeOf
  'health-check-failed': EXIT.healthFailed,
  internal: EXIT.error,
};

export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  code: ErrorCode;
  summary: string;
  detail?: string;
  hint?: string;
}

export class UpdateError extends Error {
  readonly code: ErrorCode;
  readonly detail?: string;
  readonly hint?: string;
  /** Paths the error is about (drifted paths of a stale plan, conflicting files, ...). */
  readonly paths?: string[];
  /** For an interruption: the signal that caused it (SIGTERM exits 143; SIGINT or none, Ctrl-C at a question, 130). */
  readonly signal?: string;
  /** The HTTP status a server answered, for a refusal by a server (a 403 on a TUF root probe means "no newer root"). */
  readonly status?: number;

  constructor(
    code: ErrorCode,
    summary: string,
    opts: { detail?: string; hint?: string; paths?: string[]; cause?: unknown; signal?: string; status?: number } = {},
  ) {
    super(summary, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UpdateError';
    this.code = code;
    this.detail = opts.detail;
    this.hint = opts.hint;
    this.paths = opts.paths;
    this.signal = opts.signal;
    this.status = opts.status;
  }

  get exitCode(): ExitCode {
    return this.code === 'interrupted' ? signalExit(this.signal) : EXIT_OF[this.code];
  }

  toDiagnostic(): Diagnostic {
    return { severity: 'error', code: this.code, summary: this.message, detail: this.detail, hint: this.hint };
  }
}

/** The exit code of a signal that stopped a run (the shell's 128 + n), for the interrupt and for a second one. */
export const signalExit = (signal: string | null | undefined): ExitCode => (signal === 'SIGTERM' ? EXIT.terminated : EXIT.interrupted);

export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof UpdateError ? err.exitCode : EXIT.error;
}

/**
 * The error a run ends with once this process received `signal`: an interruption says which signal (its exit code
 * is the shell's, 130 or 143), and any error that is not ours is the interruption surfacing from a library (an
 * aborted download: "The operation was aborted"), never "a bug in wso2update".
 */
export function afterSignal(err: unknown, signal: string | null): unknown {
  if (signal === null) return err;
  if (err instanceof UpdateError) {
    if (err.code !== 'interrupted' && err.code !== 'internal') return err;
    if (err.code === 'interrupted') return new UpdateError('interrupted', err.message, { detail: err.detail, hint: err.hint, paths: err.paths, cause: err.cause, signal });
  }
  return new UpdateError('interrupted', `interrupted (${signal}) before anything was changed, or with every change rolled back`, { hint: 'Run the command again when ready.', cause: err, signal });
}
