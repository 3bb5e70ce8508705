// The text view of a plan (`show PLAN`, and the summary `plan` prints): the summary line first, then identity,
// each action, the diffs of merges, conflicts with their markers, and the notes of every level crossed.
import type { Action, LevelNotes, Plan } from '../core/model.js';
import { isNoOp, stopsOnConflicts } from '../core/plan/effect.js';
import { shellWord, type Shell } from './hints.js';
import { boundText, conflictExcerpt, hotfixLines, levelsCrossed, POLICY_TEXT, pushAll, REASON_TEXT, resolutionShort, resolutionText, revertedGenerations, shownAction, summaryLine, SYMBOL, type ShowOptions } from './show-common.js';

function actionLine(a: Action): string {
  const label = `${SYMBOL[a.action]} ${a.action.padEnd(8)} ${a.path}`;
  if (a.action === 'conflict') return `${label} (${REASON_TEXT[a.reason]}; ${resolutionShort(a)})`;
  if (a.action === 'chmod' && a.before.kind === 'file') return `${label} (${a.before.mode} -> ${a.after.mode})`;
  return label;
}

/** The head of a plan: what `plan` prints on stderr, and what `show` starts with. */
export function renderPlanHead(plan: Plan): string[] {
  const lines = [
    summaryLine(plan.summary),
    '',
    `Product:    ${plan.product}, level ${plan.fromLevel} -> ${plan.toLevel} (levels crossed: ${levelsCrossed(plan)})`,
    `Digest:     ${plan.digest}`,
    ...(plan.summary.conflict > 0 ? [`Conflicts:  ${POLICY_TEXT[plan.onConflict]}`] : []),
    `For:        ${boundText(plan)}`,
    `Repository: ${plan.repository}`,
    `Created:    ${plan.createdAt} by ${plan.tool.name} ${plan.tool.version}`,
  ];
  if (plan.direction === 'revert') lines.push(`Reverts:    ${revertedGenerations(plan)}`);
  for (const h of hotfixLines(plan)) lines.push(`Hotfix:     ${h.replace(/^hotfix /, '')}`);
  return lines;
}

function indent(text: string, by = '    '): string[] {
  return text.replace(/\n$/, '').split('\n').map((l) => `${by}${l}`);
}

function notesLines(n: LevelNotes): string[] {
  const lines = [`Level ${n.level} (${n.date}): ${n.title}`];
  if (n.description.trim()) pushAll(lines, indent(n.description.trim(), '  '));
  if (n.securityAdvisories.length) {
    lines.push('  Security advisories:');
    for (const s of n.securityAdvisories) lines.push(`    - [${s.severity.toUpperCase()}] ${s.id}: ${s.title}`);
  }
  if (n.fixes.length) {
    lines.push('  Fixes:');
    for (const f of n.fixes) lines.push(`    - ${f.id}: ${f.title}`);
  }
  return lines;
}

export function renderText(plan: Plan, opts: ShowOptions = {}): string {
  const actions = plan.actions.map((a) => shownAction(a, opts));
  const out = renderPlanHead(plan);
  out.push('', actions.length ? 'Actions:' : 'No changes: the pack already matches the target level.');
  for (const a of actions) out.push(`  ${actionLine(a)}`);
  const merges = actions.filter((a) => a.action === 'merge' && a.diff);
  if (merges.length) {
    out.push('', 'Merges (your file -> the merged file apply writes):');
    for (const a of merges) pushAll(out, [''], indent(a.action === 'merge' ? (a.diff ?? '') : ''));
  }
  const conflicts = actions.filter((a) => a.action === 'conflict');
  if (conflicts.length) {
    out.push('', 'Conflicts:');
    for (const a of conflicts) {
      if (a.action !== 'conflict') continue;
      out.push('', `  ! ${a.path}: ${REASON_TEXT[a.reason]}.`, `    ${resolutionText(a)}`);
      if (a.markers) pushAll(out, [''], indent(conflictExcerpt(a.markers)));
    }
  }
  if (plan.hotfix?.description.trim()) pushAll(out, ['', `Hotfix ${plan.hotfix.id}:`], indent(plan.hotfix.description.trim(), '  '));
  if (plan.notes.length) {
    out.push('', 'Levels crossed:');
    for (const n of plan.notes) pushAll(out, [''], notesLines(n));
  }
  if (!opts.revealSecrets) out.push('', 'Secret values are masked; show --reveal-secrets prints them.');
  return `${out.join('\n')}\n`;
}

/**
 * The short form `plan` prints on stderr: head and action list, without diffs and notes; then where the plan went,
 * and last, what it means: no changes, or the conflicts apply will stop on (why `plan` exits 3).
 */
export function renderSummary(plan: Plan, writtenTo?: string, shell?: Shell): string {
  const out = renderPlanHead(plan);
  const noOp = isNoOp(plan);
  if (plan.actions.length) pushAll(out, [''], plan.actions.map((a) => `  ${actionLine(a)}`));
  if (writtenTo) {
    const file = shellWord(writtenTo, shell);
    out.push('', `Plan written to ${writtenTo}`);
    if (!noOp) out.push(`  review: \`wso2update show ${file}\``, `  apply:  \`wso2update apply ${file}\``);
  }
  const n = plan.summary.conflict;
  if (noOp) out.push('', `No changes: the pack is already at level ${plan.toLevel}; applying this plan would change nothing.`);
  else if (plan.actions.length === 0) out.push('', `No file changes: every file is already as level ${plan.toLevel} ships it; applying records the pack at level ${plan.toLevel}.`);
  else if (stopsOnConflicts(plan)) {
    out.push('', `${n} ${n === 1 ? 'conflict' : 'conflicts'}: apply will stop on ${n === 1 ? 'it' : 'them'} and wait for your .final ${n === 1 ? 'file' : 'files'}; see ${writtenTo ? `\`wso2update show ${shellWord(writtenTo, shell)}\`` : 'the list above'}.`);
  }
  return `${out.join('\n')}\n`;
}
