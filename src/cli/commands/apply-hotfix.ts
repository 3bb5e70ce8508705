// `apply-hotfix ID|FILE`: plan the hotfix like an update (plan/hotfix.ts), show the summary, ask, and apply it
// through the same applier, generation and report as `apply`. With --out the plan is only written, for review and
// a later `apply PLAN` (exit 3 when it has conflicts apply would stop on, as `plan`).
import { resolve } from 'node:path';
import { EXIT, UpdateError, type Diagnostic } from '../../core/errors.js';
import { stopsOnConflicts } from '../../core/plan/effect.js';
import { existsSync } from 'node:fs';
import { HOTFIX_ID_PATTERN, looksLikeHotfixId } from '../../core/hotfix.js';
import { makeHotfixPlan } from '../../plan/hotfix.js';
import { writePlan } from '../../io/planfile.js';
import { resolveHome } from '../../io/state.js';
import { renderDiagnostic } from '../../ui/diagnostics.js';
import { pasteable } from '../../ui/hints.js';
import { renderJson } from '../../ui/show-json.js';
import { renderSummary } from '../../ui/show-text.js';
import { packOf, type CommandRun } from '../context.js';
import { optPolicy, optRepo, optString } from '../options.js';
import { applyAndReport } from './apply.js';
import { confirm } from '../prompt.js';

export const run: CommandRun = async (ctx, args, opts) => {
  const pack = packOf(ctx, opts);
  const { home } = pack;
  // An id stays an id (a mistyped one too, unless such a file exists); anything else is a path from this folder.
  const arg = args[0];
  const path = arg === undefined ? undefined : resolve(ctx.cwd, arg);
  const source = arg === undefined || HOTFIX_ID_PATTERN.test(arg) || (looksLikeHotfixId(arg) && !existsSync(path as string)) ? arg : path;
  if (!source) throw new UpdateError('usage', 'apply-hotfix needs a hotfix id or a hotfix archive', { hint: 'For example: `wso2update apply-hotfix WSO2-HF-2026-0042`, or `wso2update apply-hotfix ./WSO2-HF-2026-0042.tar`' });
  const warnings: Diagnostic[] = [];
  const plan = await makeHotfixPlan({ pack, source, repo: optRepo(opts, ctx.cwd), policy: optPolicy(opts), portable: Boolean(opts.portable), now: ctx.now(), warnings });
  for (const w of warnings) ctx.stderr.write(renderDiagnostic(w));
  const out = optString(opts, 'out');
  if (out !== undefined) {
    const file = resolve(ctx.cwd, out);
    await writePlan(file, plan);
    ctx.stderr.write(pasteable(renderSummary(plan, file, ctx.shell), { prog: ctx.prog, shell: ctx.shell, home }));
    if (opts.json) ctx.stdout.write(renderJson(plan));
    return stopsOnConflicts(plan) ? EXIT.conflicts : EXIT.ok;
  }
  ctx.stderr.write(pasteable(renderSummary(plan), { prog: ctx.prog, shell: ctx.shell, home }));
  const files = plan.actions.filter((a) => a.action !== 'conflict').length;
  const waits = stopsOnConflicts(plan) ? ` (${plan.summary.conflict} conflict(s) will wait for you)` : '';
  if (!(await confirm(ctx, opts, `Apply hotfix ${plan.hotfix?.id} on level ${plan.fromLevel}, ${files} ${files === 1 ? 'file' : 'files'}?${waits}`))) {
    ctx.stderr.write('Nothing applied.\n');
    return EXIT.ok;
  }
  return applyAndReport(ctx, home, plan, opts);
};
