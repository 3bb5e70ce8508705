// What apply (and apply --check-only), revert and recover tell people (stderr) and scripts (--json on stdout) once they are done. Conflicts
// are one path a line, and the ways out are said once below them, as commands to paste.
import type { Writable } from 'node:stream';
import type { Plan } from '../core/model.js';
import { pasteable, type Invocation } from './hints.js';
import { jsonIf, type Output } from './output.js';

export interface ApplyReport {
  command: 'apply' | 'revert' | 'recover';
  status: 'applied' | 'conflicts' | 'reverted' | 'rolled-back' | 'waiting' | 'nothing' | 'unchanged';
  home: string;
  fromLevel?: number;
  toLevel?: number;
  generation?: string;
  conflicts: string[];
  /** Which side of each conflict has a file (from the waiting journal), so the message offers the ways that apply. */
  sides?: ConflictSides[];
  drifted?: string[];
  warnings: string[];
  swept?: string[];
  /** The hotfix the apply applied, or the revert undid. */
  hotfix?: string;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** A waiting conflict's two sides: whether the user has a file there, and whether the update ships one. */
export interface ConflictSides {
  path: string;
  mine?: boolean;
  theirs?: boolean;
}

/**
 * The waiting conflicts and the ways out, per kind: where both sides have a file, keep yours, take the update's or
 * merge (FILE.final); where the update removes the file, take the update's means no file (FILE.absent); where you
 * have no file (a hotfix removed it, or you deleted it) and the update ships one, keep yours means no file.
 */
function conflictLines(r: ApplyReport): string[] {
  const n = r.conflicts.length;
  const side = new Map((r.sides ?? []).map((s) => [s.path, s]));
  const removed = r.conflicts.filter((c) => side.get(c)?.theirs === false);
  const none = r.conflicts.filter((c) => side.get(c)?.mine === false && side.get(c)?.theirs !== false);
  const both = r.conflicts.filter((c) => !removed.includes(c) && !none.includes(c));
  const to = r.toLevel === undefined ? 'the update' : `level ${r.toLevel}`;
  const note = (c: string) => (removed.includes(c) ? `  (${to} removes it; yours differs from the shipped one)` : none.includes(c) ? `  (you have no file here; ${to} ships one)` : '');
  const lines = [
    `${r.status === 'conflicts' ? 'Applied everything else; ' : 'The update waits: '}${count(n, 'conflict waits', 'conflicts wait')} for your decision:`,
    ...r.conflicts.map((c) => `  ! ${c}${note(c)}`),
    '',
    `Beside each FILE (in ${r.home}), FILE.original is ${r.fromLevel === undefined ? 'the version before the update' : `level ${r.fromLevel}'s version as shipped`} and FILE.new ${r.toLevel === undefined ? "the update's" : `level ${r.toLevel}'s`}.`,
    'Decide each FILE by writing FILE.final (the content to install) or an empty FILE.absent (no file at all):',
  ];
  if (both.length > 0) {
    if (removed.length + none.length > 0) lines.push(`  ${both.length === 1 ? 'this one' : `these ${both.length}`} (${both.length === 1 ? 'a file on both sides' : 'files on both sides'}):`);
    lines.push('  keep yours:         cp FILE FILE.final', "  take the update's:  cp FILE.new FILE.final", '  or edit a merge of the two into FILE.final', '  no file:            touch FILE.absent');
  }
  if (removed.length > 0) {
    lines.push(`  where ${to} removes the file (there is no FILE.new):`, '  keep yours:         cp FILE FILE.final', "  take the update's:  touch FILE.absent   (the file is removed; yours stays in the generation)");
  }
  if (none.length > 0) {
    lines.push(`  where you have no file (only FILE.new):`, '  keep yours (none):  touch FILE.absent', "  take the update's:  cp FILE.new FILE.final");
  }
  lines.push('', 'Then run `wso2update apply --continue`, or `wso2update revert` to undo the whole update.');
  return lines;
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

/** `apply PLAN --check-only`: would the plan apply here now (written nothing either way), its warnings, and --json. */
export function renderCheckOnly(
  plan: Pick<Plan, 'digest' | 'fromLevel' | 'toLevel'>, home: string, r: { status: string; conflicts: string[]; warnings: string[] }, json: boolean,
): Output {
  const says = r.status === 'unchanged' ? `changes nothing there (already at level ${plan.toLevel})` : `can be applied to it as it is now${r.conflicts.length ? ` (then ${r.conflicts.length} conflict(s) wait for a decision)` : ''}`;
  return {
    stderr: `Checked: plan ${plan.digest.slice(0, 12)} (level ${plan.fromLevel} -> ${plan.toLevel}) ${says}; nothing was written to ${home}.\n${r.warnings.map((w) => `Warning: ${w}\n`).join('')}`,
    stdout: jsonIf(json, () => ({ status: r.status, home, digest: plan.digest, conflicts: r.conflicts, warnings: r.warnings })),
  };
}
