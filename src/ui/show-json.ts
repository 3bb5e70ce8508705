// The JSON view (`show PLAN --json`, `plan --json`): the plan's data on stdout for automation. Secret values in
// its texts are masked like the other views unless revealed, since this output lands in CI logs; `secretsMasked`
// says so, and the digest stays the plan file's (it covers the unmasked content the file holds).
import type { Plan } from '../core/model.js';
import { shownAction, type ShowOptions } from './show-common.js';

export function renderJson(plan: Plan, opts: ShowOptions = {}): string {
  const shown = { ...plan, actions: plan.actions.map((a) => shownAction(a, opts)), secretsMasked: !opts.revealSecrets };
  return `${JSON.stringify(shown, null, 2)}\n`;
}
