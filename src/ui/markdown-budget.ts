// The change ticket's size budget (issue 23): a level of 1,500 jars gave a 1,600-line ticket. Lists longer than
// LIST_MAX are summarised by folder (count and size), diffs are cut at DIFF_LINES each and DIFF_BUDGET in all, with
// a pointer to the review page (`show --html`), which has room for everything. Formats only.
import type { Action } from '../core/model.js';
import { groupByFolder } from '../core/plan-display.js';
import { sizeText } from './size.js';

export const LIST_MAX = 25;
export const FOLDERS_MAX = 15;
export const DIFF_LINES = 60;
export const DIFF_BUDGET = 400;

const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** The paths of one action kind: each one when few, else one line per folder with count and size. */
export function budgetedList(actions: readonly Action[], describe: (a: Action) => string = () => ''): string[] {
  if (actions.length <= LIST_MAX) return actions.map((a) => `- ${code(a.path)}${describe(a)}`);
  const groups = groupByFolder(actions).sort((x, y) => y.count - x.count || (x.folder < y.folder ? -1 : 1));
  const shown = groups.slice(0, FOLDERS_MAX).map((g) => `- ${code(`${g.folder}/`)}: ${g.count.toLocaleString('en-US')} file${g.count === 1 ? '' : 's'}${g.bytes ? `, ${sizeText(g.bytes)}` : ''}`);
  const rest = groups.slice(FOLDERS_MAX);
  if (rest.length) shown.push(`- ${rest.length} more folders: ${rest.reduce((n, g) => n + g.count, 0).toLocaleString('en-US')} files`);
  return [`${actions.length.toLocaleString('en-US')} files in ${groups.length} folder${groups.length === 1 ? '' : 's'} (every path: \`wso2update show PLAN\` or the review page, \`show PLAN --html\`):`, '', ...shown];
}

/** Hands out diff lines from one budget: each diff gets at most DIFF_LINES, and all of them DIFF_BUDGET. */
export class DiffBudget {
  private left = DIFF_BUDGET;

  /** The diff cut to what is left, and a note saying how much was cut (or null when all of it fits). */
  take(diff: string): { text: string; cut: string | null } {
    const lines = diff.replace(/\n$/, '').split('\n');
    const n = Math.max(0, Math.min(lines.length, DIFF_LINES, this.left));
    this.left -= n;
    const cut = lines.length - n;
    return { text: lines.slice(0, n).join('\n'), cut: cut > 0 ? `${cut.toLocaleString('en-US')} more line${cut === 1 ? '' : 's'} of this diff are on the review page (\`show PLAN --html\`).` : null };
  }

  get exhausted(): boolean {
    return this.left <= 0;
  }
}
