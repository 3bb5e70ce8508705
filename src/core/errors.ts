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
  interrupted: EXIT.error,
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

  constructor(
    code: ErrorCode,
    summary: string,
    opts: { detail?: string; hint?: string; paths?: string[]; cause?: unknown } = {},
  ) {
    super(summary, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'UpdateError';
    this.code = code;
    this.detail = opts.detail;
    this.hint = opts.hint;
    this.paths = opts.paths;
  }

  get exitCode(): ExitCode {
    return EXIT_OF[this.code];
  }

  toDiagnostic(): Diagnostic {
    return { severity: 'error', code: this.code, summary: this.message, detail: this.detail, hint: this.hint };
  }
}

export function exitCodeOf(err: unknown): ExitCode {
  return err instanceof UpdateError ? err.exitCode : EXIT.error;
}
