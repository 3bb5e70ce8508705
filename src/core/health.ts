// What a health check (`apply --health-cmd`) came to, and how it is said: one wording for the terminal, the
// daily log and the error that exit 8 carries.

export interface HealthResult {
  ok: boolean;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The check was stopped by an interrupt of wso2update itself. */
  aborted: boolean;
  seconds: number;
  /** The last lines the command wrote (stdout and stderr interleaved as they came). */
  tail: string[];
}

const secs = (s: number) => `${s.toFixed(1)} s`;

/** "passed in 1.2 s", "exited 3 after 0.4 s", "timed out after 30.0 s", ... */
export function describeHealth(r: HealthResult): string {
  if (r.ok) return `passed in ${secs(r.seconds)}`;
  if (r.timedOut) return `timed out after ${secs(r.seconds)} (its process group was stopped)`;
  if (r.aborted) return `was interrupted after ${secs(r.seconds)}`;
  if (r.exitCode !== null) return `exited ${r.exitCode} after ${secs(r.seconds)}`;
  if (r.signal !== null) return `was killed by ${r.signal} after ${secs(r.seconds)}`;
  return `could not be started`;
}

/** The log's record of a check: the verdict, then its last lines (indented, so they read as its output). */
export function healthLogLines(cmd: string, r: HealthResult): string[] {
  const head = `health check \`${cmd}\` ${describeHealth(r)}`;
  if (r.ok) return [head];
  return [`${head}; last ${r.tail.length} line(s) of its output:`, ...r.tail.map((l) => `  | ${l}`)];
}
