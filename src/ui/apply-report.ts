// What apply, revert and recover tell people (stderr) and scripts (--json on stdout) once they are done. Conflicts
// are one path a line, and the ways out are said once below them, as commands to paste.
import type { Writable } from 'node:stream';
import { pasteable, type Invocation } from './hints.js';

export interface ApplyReport {
  command: 'apply' | 'revert' | 'recover';
  status: 'applied' | 'conflicts' | 'reverted' | 'rolled-back' | 'waiting' | 'nothing' | 'unchanged';
  home: string;
  fromLevel?: number;
  toLevel?: number;
  generation?: string;
  conflicts: string[];
  drifted?: string[];
  warnings: string[];
  swept?: string[];
  /** The hotfix the apply applied, or the revert undid. */
  hotfix?: string;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The waiting conflicts and how to settle each: keep yours, take the update's, or write a merge of the two. */
function conflictLines(r: ApplyReport): string[] {
  const n = r.conflicts.length;
  return [
    `${r.status === 'conflicts' ? 'Applied everything else; ' : 'The update waits: '}${count(n, 'conflict waits', 'conflicts wait')} for your decision:`,
    ...r.conflicts.map((c) => `  ! ${c}`),
    '',
    `Beside each FILE (in ${r.home}), FILE.original is ${r.fromLevel === undefined ? 'the version before the update' : `level ${r.fromLevel}'s version as shipped`} and FILE.new ${r.toLevel === undefined ? "the update's" : `level ${r.toLevel}'s`}.`,
    'Write FILE.final for each:',
    '  keep yours:         cp FILE FILE.final',
    "  take the update's:  cp FILE.new FILE.final",
    '  or edit a merge of the two into FILE.final',
    '',
    'Then run `wso2update apply --continue`, or `wso2update revert` to undo the whole update.',
  ];
}

export function renderApplyReport(r: ApplyReport): string {
  const lines: string[] = [];
  const levels = r.hotfix ? ` (hotfix ${r.hotfix} on level ${r.fromLevel})` : r.fromLevel !== undefined && r.toLevel !== undefined ? ` (level ${r.fromLevel} -> ${r.toLevel})` : '';
  switch (r.status) {
    case 'applied': lines.push(`Applied${levels}; generation ${r.generation} keeps what was replaced.`); break;
    case 'unchanged': lines.push(`No changes: the pack is already at level ${r.toLevel}; nothing was applied (its serial and generations are as they were).`); break;
    case 'reverted': lines.push(`Reverted${levels}.`); break;
    case 'rolled-back': lines.push(`Rolled back the interrupted update in ${r.home}: the pack is as it was before it.`); break;
    case 'nothing': lines.push(`Nothing to recover in ${r.home}: no interrupted run left a journal there${r.swept?.length ? ` (removed leftovers: ${r.swept.join(', ')})` : ''}.`); break;
    case 'conflicts':
    case 'waiting':
      lines.push(...conflictLines(r));
      break;
  }
  if (r.drifted?.length) lines.push(`Edited files kept in generation ${r.generation}: ${r.drifted.join(', ')}`);
  for (const w of r.warnings) lines.push(`Warning: ${w}`);
  return `${lines.join('\n')}\n`;
}

export function writeApplyReport(out: { stdout: Writable; stderr: Writable }, inv: Invocation, r: ApplyReport, json: boolean): void {
  out.stderr.write(pasteable(renderApplyReport(r), inv));
  if (json) out.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}

/** Said at the first Ctrl-C, so the operator knows the tool heard it and what a second one would do. */
export const INTERRUPT_NOTICE =
  'Interrupted: finishing the current step, then rolling back. Press Ctrl-C again to stop at once (then run `wso2update recover`).\n';

/**
 * Said when the interrupt came after the last moment it could roll back (apply/executor.ts): the run went on to
 * the commit point, the journal's unlink, and finished. Before it, an interrupt rolls everything back (exit 130/143).
 */
export const PAST_NO_RETURN_NOTICE =
  'The interrupt came after the point of no return (the swap was complete and being committed), so the run finished instead of rolling back: the result below stands. To undo an update, run `wso2update revert`.\n';
