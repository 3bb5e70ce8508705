// What apply, revert and recover tell people (stderr) and scripts (--json on stdout) once they are done.
import type { Writable } from 'node:stream';

export interface ApplyReport {
  command: 'apply' | 'revert' | 'recover';
  status: 'applied' | 'conflicts' | 'reverted' | 'rolled-back' | 'waiting' | 'nothing';
  home: string;
  fromLevel?: number;
  toLevel?: number;
  generation?: string;
  conflicts: string[];
  drifted?: string[];
  warnings: string[];
  swept?: string[];
}

export function renderApplyReport(r: ApplyReport): string {
  const lines: string[] = [];
  const levels = r.fromLevel !== undefined && r.toLevel !== undefined ? ` (level ${r.fromLevel} -> ${r.toLevel})` : '';
  switch (r.status) {
    case 'applied': lines.push(`Applied${levels}; generation ${r.generation} keeps what was replaced.`); break;
    case 'reverted': lines.push(`Reverted${levels}.`); break;
    case 'rolled-back': lines.push('Rolled back the interrupted update: the pack is as it was before it.'); break;
    case 'nothing': lines.push(`Nothing to recover${r.swept?.length ? ` (removed leftovers: ${r.swept.join(', ')})` : ''}.`); break;
    case 'conflicts':
    case 'waiting':
      lines.push(`${r.status === 'conflicts' ? 'Applied everything else; ' : 'The update waits: '}${r.conflicts.length} conflict(s) need your decision:`);
      for (const c of r.conflicts) lines.push(`  ! ${c}   (see ${c}.original and ${c}.new; write ${c}.final)`);
      lines.push('', '  Then run `wso2update apply --continue`, or `wso2update revert` to undo the update.');
      break;
  }
  if (r.drifted?.length) lines.push(`Edited files kept in generation ${r.generation}: ${r.drifted.join(', ')}`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function writeApplyReport(out: { stdout: Writable; stderr: Writable }, r: ApplyReport, json: boolean): void {
  out.stderr.write(renderApplyReport(r));
  if (json) out.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}

/** Said at the first Ctrl-C, so the operator knows the tool heard it and what a second one would do. */
export const INTERRUPT_NOTICE =
  'Interrupted: finishing the current step, then rolling back. Press Ctrl-C again to stop at once (then run `wso2update recover`).\n';
