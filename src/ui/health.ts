// What `apply --health-cmd` tells people on stderr while the check runs and once it is decided.
import type { Writable } from 'node:stream';
import { describeHealth, type HealthResult } from '../core/health.js';
import { maskLine } from '../core/secrets.js';

export function writeHealthStart(out: Writable, cmd: string, home: string, timeoutS: number): void {
  out.write(`Health check: running \`${maskLine(cmd, 'properties')}\` in ${home} (timeout ${timeoutS} s) ...\n`);
}

export function writeHealthPassed(out: Writable, r: HealthResult): void {
  out.write(`Health check ${describeHealth(r)}; the update stays.\n`);
}

export function writeHealthSkipped(out: Writable): void {
  out.write('Health check not run: the plan made no changes.\n');
}

/** The detail of exit 8's error: what the check did, its last lines, and what the revert kept. */
export function healthFailureDetail(cmd: string, r: HealthResult, reverted: { fromLevel: number; toLevel: number; drifted: string[]; generation: string }): string {
  return [
    `\`${maskLine(cmd, 'properties')}\` ${describeHealth(r)}; the update was reverted (level ${reverted.fromLevel} -> ${reverted.toLevel}).`,
    ...(reverted.drifted.length ? [`Files changed since the commit were kept in generation ${reverted.generation}: ${reverted.drifted.join(', ')}`] : []),
    ...(r.tail.length ? ['Last lines of its output:', ...r.tail.map((l) => `| ${maskLine(l, 'properties')}`)] : ['It wrote no output.']),
  ].join('\n');
}
