// `apply-hotfix ID|FILE`: plan the hotfix like an update (plan/hotfix.ts), show the summary, ask, and apply it
// through the same applier, generation and report as `apply`. With --out the plan is only written, for review and
// a later `apply PLAN` (exit 3 when it has conflicts apply would stop on, as `plan`).
import { resolve } from 'node:path';
import { EXIT, UpdateError, type Diagnostic } from '../../core/errors.js';
import { stopsOnConflicts } from '../../core/plan/effect.js';
import { makeHotfixPlan } from '../../plan/hotfix.js';
import { writePlan } from '../../io/planfile.js';
import { resolveHome } from '../../io/state.js';
import { renderDiagnostics } from '../../ui/diagnostics.js';
import { hotfixQuestion, NOTHING_APPLIED, renderPlanned, renderPlanReview } from '../../ui/plan-review.js';
import { packOf, type CommandRun } from '../context.js';
import { optPolicy, optRepo, optString } from '../options.js';
import { applyAndReport } from './apply.js';
import { confirm } from '../prompt.js';
import { print } from '../print.js';
import { madeOn } from '../audit-trail.js';
import { approvalDemands, refuseOneShot } from '../approval-gate.js';
import { audited, auditRefusal } from '../audited.js';
import { keepYoungGenerationSmall } from '../young-generation.js';

export const run: CommandRun = async (ctx, args, opts) => {
  keepYoungGenerationSmall();
  const pack = packOf(ctx, opts);
  const { home } = pack;
  // An id or an archive's path: plan/hotfix.ts's hotfixSource decides which (after the pack's own checks).
  const source = args[0];
  if (!source) throw new UpdateError('usage', 'apply-hotfix needs a hotfix id or a hotfix archive', { hint: 'For example: `wso2update apply-hotfix WSO2-HF-2026-0042`, or `wso2update apply-hotfix ./WSO2-HF-2026-0042.tar`' });
  const warnings: Diagnostic[] = [];
  // A plan written with --out is for review: it carries the display fields (where, by whom, text diffs).
  const plan = await makeHotfixPlan({ pack, source, cwd: ctx.cwd, repo: optRepo(opts, ctx.cwd), policy: optPolicy(opts), portable: Boolean(opts.portable), now: ctx.now(), warnings, ...(optString(opts, 'out') === undefined ? {} : { madeOn: madeOn(ctx, pack.home) }) });
  print(ctx, { stderr: renderDiagnostics(warnings), stdout: '' });
  const inv = { prog: ctx.prog, shell: ctx.shell, home };
  const out = optString(opts, 'out');
  if (out !== undefined) {
    const file = resolve(ctx.cwd, out);
    await writePlan(file, plan);
    print(ctx, renderPlanned(plan, { inv, writtenTo: file, dryRunNote: false, json: Boolean(opts.json) }));
    return stopsOnConflicts(plan) ? EXIT.conflicts : EXIT.ok;
  }
  try {
    refuseOneShot(await approvalDemands(home, ctx.cwd, opts), ctx.prog, home, `apply-hotfix ${source} --out PLAN`);
  } catch (err) {
    await auditRefusal(ctx, home, { command: 'apply-hotfix', plan, approvers: [] }, err);
    throw err;
  }
  ctx.stderr.write(renderPlanReview(plan, [], inv));
  if (!(await confirm(ctx, opts, hotfixQuestion(plan, stopsOnConflicts(plan))))) {
    ctx.stderr.write(NOTHING_APPLIED);
    return EXIT.ok;
  }
  return audited(ctx, home, { command: 'apply-hotfix', plan, approvers: [] }, () => applyAndReport(ctx, home, plan, opts));
};
