// What the commands that make a plan print before (or instead of) applying it: `plan`, `apply` without a plan file,
// and `apply-hotfix`. Warnings first, then the summary (the plan file it went to, if any), the dry-run note, the
// question asked before applying, and on stdout the plan as JSON (--json) and the WSO2 template's lists (--template).
import type { Diagnostic } from '../core/errors.js';
import type { Plan } from '../core/model.js';
import { renderWso2Template, templateFieldsOf } from '../core/template.js';
import { renderDiagnostics } from './diagnostics.js';
import { pasteable, type Invocation } from './hints.js';
import type { Output } from './output.js';
import { renderJson } from './show-json.js';
import { renderSummary } from './show-text.js';

/** Said when the operator answers no (or nothing is applied for another reason a person chose). */
export const NOTHING_APPLIED = 'Nothing applied.\n';

/** The warnings met while planning, then the summary; `writtenTo`: the plan file, when one was written. */
export function renderPlanReview(plan: Plan, warnings: readonly Diagnostic[], inv: Invocation, writtenTo?: string): string {
  return renderDiagnostics(warnings) + pasteable(renderSummary(plan, writtenTo, inv.shell), inv);
}

/** WSO2's `--template` lists of a plan, one line on stdout. */
export const renderTemplate = (template: string, plan: Plan): string => `${renderWso2Template(template, templateFieldsOf(plan))}\n`;

export interface PlannedView {
  inv: Invocation & { home: string };
  /** The plan file written; undefined for a dry run, which leaves no trace. */
  writtenTo?: string;
  /** A dry run that would change files: say how to apply it or keep it. */
  dryRunNote: boolean;
  json: boolean;
  template?: string;
}

/** `plan`, once the plan file is written (its warnings were printed before: a failed write must not lose them): the review on stderr; the plan as JSON and the template's lists on stdout when asked for. */
export function renderPlanned(plan: Plan, v: PlannedView): Output {
  let stderr = renderPlanReview(plan, [], v.inv, v.writtenTo);
  if (v.dryRunNote) {
    // Planning is deterministic: the same pack and levels give this very plan (digest) again.
    const lvl = `--level ${plan.toLevel} --home ${v.inv.home}`;
    stderr += pasteable(`Dry run: nothing was written. To apply this update: \`wso2update apply ${lvl}\` (plans again, shows this summary and asks); to keep the plan for review: \`wso2update plan ${lvl} --out FILE\`.\n`, v.inv);
  }
  const stdout = (v.json ? renderJson(plan) : '') + (v.template !== undefined ? renderTemplate(v.template, plan) : '');
  return { stderr, stdout };
}

const filesOf = (plan: Plan): string => {
  const n = plan.actions.filter((a) => a.action !== 'conflict').length;
  return `${n} ${n === 1 ? 'file' : 'files'}`;
};

/** The question before a one-shot apply says what will happen, conflicts included (`waits`: apply will stop on them). */
export function applyQuestion(plan: Plan, waits: boolean): string {
  const n = plan.summary.conflict;
  return `Apply this plan: level ${plan.fromLevel} -> ${plan.toLevel}, ${filesOf(plan)}?${waits ? ` (${n} ${n === 1 ? 'conflict' : 'conflicts'} will wait for you)` : ''}`;
}

/** The question before `apply-hotfix` applies. */
export function hotfixQuestion(plan: Plan, waits: boolean): string {
  return `Apply hotfix ${plan.hotfix?.id} on level ${plan.fromLevel}, ${filesOf(plan)}?${waits ? ` (${plan.summary.conflict} conflict(s) will wait for you)` : ''}`;
}
