// The change ticket (`show PLAN --markdown`): what a change board approves. The digest is what gets approved
// (`apply --expect-digest`, or signed approvals), then levels and advisories, the file list per action, diffs, and
// what conflicts ask. Within a budget (ui/markdown-budget.ts): long lists by folder, diffs cut, the rest on the
// review page (`show --html`).
import type { Action, Plan } from '../core/model.js';
import { maskDiff } from '../core/secrets.js';
import { budgetedList, DiffBudget } from './markdown-budget.js';
import { entryText } from './review-page.js';
import { boundText, byAction, conflictExcerpt, hotfixLines, POLICY_TEXT, pushAll, REASON_TEXT, resolutionShort, resolutionText, revertedGenerations, shownAction, summaryLine, type ShowOptions } from './show-common.js';

/** A fence longer than any backtick run inside, so no file content can close it early. */
function fenced(text: string, lang: string): string[] {
  let longest = 2;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const fence = '`'.repeat(longest + 1);
  return pushAll([`${fence}${lang}`], text.replace(/\n$/, '').split('\n'), [fence]);
}

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;
const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const SECTIONS: [Action['action'], string][] = [
  ['add', 'Added'], ['replace', 'Replaced'], ['remove', 'Removed'], ['merge', 'Merged'], ['conflict', 'Conflicts'], ['chmod', 'Mode changed'],
];

function fileList(plan: Plan): string[] {
  const out = ['## Files'];
  for (const [kind, title] of SECTIONS) {
    const list = byAction(plan, kind);
    if (!list.length) continue;
    out.push('', `### ${title} (${list.length})`, '');
    pushAll(out, budgetedList(list, (a) => (a.action === 'conflict' ? ` (${REASON_TEXT[a.reason]}; ${resolutionShort(a)})` : '')));
  }
  return out;
}

function advisories(plan: Plan): string[] {
  const rows = plan.notes.flatMap((n) => n.securityAdvisories.map((s) => `| ${n.level} | ${cell(s.id)} | ${s.severity} | ${cell(s.title)} |`));
  if (!rows.length) return ['## Security advisories', '', '_None_'];
  return ['## Security advisories', '', '| Level | ID | Severity | Title |', '|---|---|---|---|', ...rows];
}

function levels(plan: Plan): string[] {
  const out = ['## Levels crossed'];
  for (const n of plan.notes) {
    out.push('', `### Level ${n.level}: ${n.title} (${n.date})`);
    if (n.description.trim()) out.push('', n.description.trim());
    if (n.fixes.length) out.push('', '**Fixes:**', '', ...n.fixes.map((f) => `- ${f.id}: ${f.title}`));
  }
  if (!plan.notes.length) out.push('', '_None_');
  return out;
}

function hotfixes(plan: Plan): string[] {
  const lines = hotfixLines(plan);
  if (!lines.length) return [];
  const out = ['## Hotfixes', '', ...lines.map((l) => `- ${cell(l)}`)];
  if (plan.hotfix?.description.trim()) out.push('', plan.hotfix.description.trim());
  return [...out, ''];
}

/** A diff inside <details> (collapsed in GitHub, GitLab and Jira's Markdown), cut to what the budget allows. */
function detailsDiff(title: string, diff: string, budget: DiffBudget): string[] {
  const { text, cut } = budget.take(diff);
  if (text === '') return ['', `${title}: on the review page (\`show PLAN --html\`).`];
  return ['', `<details><summary>${title.replace(/</g, '&lt;')}</summary>`, '', ...fenced(text, 'diff'), ...(cut ? ['', cut] : []), '', '</details>'];
}

function diffs(plan: Plan, actions: Action[], opts: ShowOptions, budget: DiffBudget): string[] {
  const out: string[] = [];
  for (const a of actions) {
    if (a.action === 'merge' && a.diff) pushAll(out, detailsDiff(`${code(a.path)}: clean merge (your file -> merged)`, a.diff, budget));
  }
  const text = plan.display?.textDiffs ?? {};
  for (const a of actions) {
    const d = text[a.path];
    if ((a.action === 'replace' || a.action === 'add') && d !== undefined) {
      pushAll(out, detailsDiff(`${code(a.path)}: ${a.action === 'add' ? 'added' : 'replaced'} (level ${plan.fromLevel} -> ${plan.toLevel})`, opts.revealSecrets ? d : maskDiff(d, a.path), budget));
    }
  }
  return out.length ? ['## Diffs', ...out] : [];
}

function conflicts(actions: Action[], budget: DiffBudget): string[] {
  const out: string[] = [];
  for (const a of actions) {
    if (a.action !== 'conflict') continue;
    out.push('', `### ${code(a.path)}`, '', `${capital(REASON_TEXT[a.reason])}.`, '', resolutionText(a),
      '', `On disk now (yours): ${entryText(a.before)}. Base: ${entryText(a.base)}. Target: ${entryText(a.target)}.`);
    if (a.markers) pushAll(out, ['', 'Overlapping edits (diff3 markers: yours, base, target):', ''], fenced(conflictExcerpt(a.markers), ''));
    if (a.diff) pushAll(out, detailsDiff('What the update changes (base -> target)', a.diff, budget));
  }
  return out.length ? ['## Conflicts', ...out] : [];
}

export function renderMarkdown(plan: Plan, opts: ShowOptions = {}): string {
  const actions = plan.actions.map((a) => shownAction(a, opts));
  // Conflicts first (they need a decision), then merges and replaced files, all from one budget of diff lines.
  const budget = new DiffBudget();
  const s = plan.summary;
  const revert = plan.direction === 'revert';
  // A revert crosses no published level: what it undoes is kept generations, so those replace the release notes.
  const notes = revert ? ['## Undone', '', `- ${capital(revertedGenerations(plan))}: each path gets back what ${(plan.revert?.generations?.length ?? 1) === 1 ? 'it' : 'they'} kept`] : [...advisories(plan), '', ...levels(plan)];
  const out = [
    plan.hotfix ? `# Hotfix ${plan.hotfix.id} on ${plan.product} level ${plan.fromLevel}` : `# ${revert ? 'Revert' : 'Update'} ${plan.product} from level ${plan.fromLevel} to level ${plan.toLevel}`,
    '',
    summaryLine(s),
    '',
    '| Add | Replace | Remove | Merge | Conflicts | Chmod |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${s.add} | ${s.replace} | ${s.remove} | ${s.merge} | ${s.conflict} | ${s.chmod} |`,
    '',
    `**Plan digest (what is approved):** ${code(plan.digest)}`,
    '',
    `Apply exactly this plan with \`wso2update apply PLAN --expect-digest ${plan.digest}\`.`,
    '',
    '## Product and levels',
    '',
    `- Product: ${code(plan.product)}`,
    `- Levels: ${plan.fromLevel} -> ${plan.toLevel}`,
    ...(plan.summary.conflict > 0 ? [`- Conflicts: ${POLICY_TEXT[plan.onConflict]}`] : []),
    `- For: ${boundText(plan)}`,
    ...(plan.portable ? [] : [`- Pack: ${code(plan.display?.packPath ?? '(not recorded)')} on ${code(plan.display?.host ?? '(not recorded)')}`]),
    `- Repository: ${code(plan.repository)}`,
    `- Created: ${plan.createdAt}${plan.display?.madeBy ? ` by ${code(plan.display.madeBy)}` : ''} with ${plan.tool.name} ${plan.tool.version}`,
    '',
    ...hotfixes(plan),
    ...notes,
    '',
    ...fileList(plan),
    ...conflicts(actions, budget).flatMap((l, i) => (i === 0 ? ['', l] : [l])),
    ...diffs(plan, actions, opts, budget).flatMap((l, i) => (i === 0 ? ['', l] : [l])),
  ];
  if (!opts.revealSecrets) out.push('', '_Secret values are masked._');
  return `${out.join('\n')}\n`;
}
