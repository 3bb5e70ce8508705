// `apply [PLAN]`: apply a reviewed plan file, or (without one) plan, show the summary, ask, and apply; `--continue`
// installs the `.final` files of a conflicted apply. Exit 0 applied, 3 conflicts wait, 5 stale, 6 busy,
// 8 the --health-cmd check failed after the commit and the update was reverted.
// Planning, merging, the summary, --continue and templates load only on the paths that use them: applying a
// reviewed plan (the common case) does not pay for them at start-up.
import { resolve } from 'node:path';
import { applyPlan, checkPlan, type Unchanged } from '../../apply/apply.js';
import { withPackLock } from '../../apply/pack-lock.js';
import { openPack } from '../../io/pack.js';
import type { ApplyOutcome } from '../../apply/executor.js';
import { EXIT, UpdateError, type Diagnostic } from '../../core/errors.js';
import type { Plan } from '../../core/model.js';
import { isNoOp, stopsOnConflicts } from '../../core/plan/effect.js';
import { waitingSides } from '../../io/pending-run.js';
import { readPlanFile } from '../../io/planfile.js';
import { readProduct, resolveHome } from '../../io/state.js';
import { renderCheckOnly, writeApplyReport } from '../../ui/apply-report.js';
import type { CliContext, CommandRun, RawOptions } from '../context.js';
import { optLevel, optPolicy, optRepo, optSha256, optString } from '../options.js';
import { inSession } from '../apply-session.js';
import { keepYoungGenerationSmall } from '../young-generation.js';
import { print } from '../print.js';
import { confirm } from '../prompt.js';
import { checkHealth, optHealth } from '../health.js';
import { approvalDemands, enforceApprovals, optList, refuseOneShot, type ApprovalDemand } from '../approval-gate.js';
import { audited, auditRefusal } from '../audited.js';

/** Asks on a terminal; elsewhere --yes is required, so that nothing is applied unreviewed by accident. */
/**
 * Options that shape a plan: with a plan file they would be silently ignored, so they are refused instead. `--repo`
 * is not one of them: beside a plan it names another location of the same content (a mirror), checked by digest.
 */
const PLANNING_ONLY = [['level', '--level'], ['onConflict', '--on-conflict']] as const;

/** The plan to apply and its approvers: the file given, or one made now and confirmed; null when there is nothing to do. */
async function planFor(ctx: CliContext, home: string, args: string[], opts: RawOptions, expect: string | undefined, demands: readonly ApprovalDemand[]): Promise<{ plan: Plan; approvers: string[] } | null> {
  if (args[0]) {
    const given = PLANNING_ONLY.filter(([k]) => opts[k] !== undefined).map(([, flag]) => flag);
    if (given.length > 0) {
      throw new UpdateError('usage', `${given.join(', ')} shape a new plan, but ${args[0]} is already made`, {
        hint: `Apply the plan as reviewed (without ${given.join(', ')}), or make a new plan with them: \`wso2update plan ${given.map((g) => `${g} ...`).join(' ')}\`.`,
      });
    }
    // applyPlan checks the plan against the pack and the levels it names (including what they ship). The bytes read
    // here are the ones the approvals are checked over, and the plan parsed from them is the one applied.
    const file = resolve(ctx.cwd, args[0]);
    const { plan, bytes } = await readPlanFile(file);
    checkDigest(plan, expect);
    try {
      return { plan, approvers: await enforceApprovals(file, bytes, demands, optList(opts.approval).map((f) => resolve(ctx.cwd, f)), ctx.now()) };
    } catch (err) {
      await auditRefusal(ctx, home, { command: 'apply', plan, approvers: [] }, err);
      throw err;
    }
  }
  try {
    refuseOneShot(demands, ctx.prog, home, 'plan --out PLAN');
  } catch (err) {
    await auditRefusal(ctx, home, { command: 'apply', plan: null, approvers: [] }, err);
    throw err;
  }
  const repo = optRepo(opts, ctx.cwd);
  // A WSO2-style `4.2.0.45` level is checked against the product's version (as `plan` does), never taken on trust.
  const product = typeof opts.level === 'string' && opts.level.includes('.') ? await readProduct(openPack(home)) : undefined;
  const [{ makePlan }, review] = await Promise.all([import('../../plan/update.js'), import('../../ui/plan-review.js')]);
  const warnings: Diagnostic[] = [];
  const plan = await makePlan({ pack: openPack(home), repo, level: optLevel(opts, 'level', 'level', product), policy: optPolicy(opts), portable: false, now: ctx.now(), warnings, acceptExpiredBundle: Boolean(opts.acceptExpired) });
  ctx.stderr.write(review.renderPlanReview(plan, warnings, { prog: ctx.prog, shell: ctx.shell, home }));
  if (isNoOp(plan)) return null;
  checkDigest(plan, expect);
  if (await confirm(ctx, opts, review.applyQuestion(plan, stopsOnConflicts(plan)))) return { plan, approvers: [] };
  ctx.stderr.write(review.NOTHING_APPLIED);
  return null;
}

function checkDigest(plan: Plan, expect: string | undefined): Plan {
  if (expect !== undefined && expect !== plan.digest) {
    throw new UpdateError('verification', `the plan's digest is ${plan.digest}, not the approved ${expect}`, { hint: 'Apply exactly the plan that was reviewed; nothing was changed.' });
  }
  return plan;
}

/** `apply PLAN --check-only`: would this plan apply here now? Exit 0 yes, else the code apply would refuse with. */
async function checkOnly(ctx: CliContext, home: string, args: string[], opts: RawOptions): Promise<number> {
  if (!args[0]) throw new UpdateError('usage', '--check-only checks a plan file: give it (apply PLAN --check-only)');
  if (opts.continue || opts.healthCmd !== undefined) throw new UpdateError('usage', '--check-only writes nothing: it goes with neither --continue nor --health-cmd');
  const file = resolve(ctx.cwd, args[0]);
  const { plan, bytes } = await readPlanFile(file);
  checkDigest(plan, optSha256(opts, 'expectDigest', '--expect-digest'));
  // As apply would refuse: the approvals the pack's policy (and any flags) demand, checked on this node too.
  await enforceApprovals(file, bytes, await approvalDemands(home, ctx.cwd, opts), optList(opts.approval).map((f) => resolve(ctx.cwd, f)), ctx.now());
  const r = await checkPlan({ pack: openPack(home), plan, now: ctx.now(), repoLocation: optRepo(opts, ctx.cwd), acceptExpiredBundle: Boolean(opts.acceptExpired) });
  print(ctx, renderCheckOnly(plan, home, r, Boolean(opts.json)));
  return EXIT.ok;
}

export const run: CommandRun = async (ctx, args, opts) => {
  keepYoungGenerationSmall();
  const home = resolveHome(ctx.cwd, opts.home);
  // --continue finishes the apply that was approved when it started: no new approvals, its own audit record.
  if (opts.continue) return audited(ctx, home, { command: 'apply --continue', plan: null, approvers: [] }, () => applyAndReport(ctx, home, null, opts));
  const health = optHealth(opts); // checked before anything is planned or applied
  if (opts.checkOnly) return checkOnly(ctx, home, args, opts);
  const approved = await planFor(ctx, home, args, opts, optSha256(opts, 'expectDigest', '--expect-digest'), await approvalDemands(home, ctx.cwd, opts));
  if (approved === null) return EXIT.ok;
  const { plan, approvers } = approved;
  if (plan.direction === 'revert') {
    if (health !== undefined || optString(opts, 'template') !== undefined) throw new UpdateError('usage', '--health-cmd and --template go with an update plan, not a revert plan', { hint: 'Apply the revert plan without them.' });
    const { runRevertPlan } = await import('./revert.js');
    return audited(ctx, home, { command: 'apply (revert plan)', plan, approvers }, () => runRevertPlan(ctx, home, plan, Boolean(opts.json)));
  }
  return audited(ctx, home, { command: plan.hotfix ? 'apply (hotfix plan)' : 'apply', plan, approvers }, () => applyAndReport(ctx, home, plan, opts, args[0] ? optRepo(opts, ctx.cwd) : undefined));
};

/**
 * Applies an update plan (null: `--continue`) in a session, runs the health gate, prints the report; the exit code.
 * Shared by `apply` and `apply-hotfix`, so that a hotfix is applied, reported and health-checked like an update.
 */
export async function applyAndReport(ctx: CliContext, home: string, plan: Plan | null, opts: RawOptions, repoLocation?: string): Promise<number> {
  const json = Boolean(opts.json);
  let outcome: ApplyOutcome | Unchanged;
  let levels: { fromLevel?: number; toLevel?: number } = {};
  const template = optString(opts, 'template');
  const health = optHealth(opts); // checked before anything is applied
  const planned = plan;
  if (plan === null) {
    if (template !== undefined) {
      throw new UpdateError('usage', '--template goes with the run that applies a plan, not with --continue', {
        hint: 'The first run printed the lists; --continue installs the .final files of its conflicts.',
      });
    }
    const [{ continueApply }, { journalStatus }] = await Promise.all([import('../../apply/resolve.js'), import('../../io/pending-run.js')]);
    const waiting = (await journalStatus(openPack(home))).journal;
    if (waiting) levels = { fromLevel: waiting.fromLevel, toLevel: waiting.toLevel };
    outcome = await inSession(ctx, home, 'apply --continue', (s) => withPackLock(openPack(home, s.ops), ctx.owner, (_, pack) => continueApply(pack, s.hooks), ['waiting']), (r) => [r.status]);
  } else {
    levels = { fromLevel: plan.fromLevel, toLevel: plan.toLevel };
    const what = plan.hotfix ? `apply-hotfix ${plan.hotfix.id} on level ${plan.fromLevel}` : `apply ${plan.fromLevel} -> ${plan.toLevel}`;
    outcome = await inSession(ctx, home, `${what} (plan ${plan.digest.slice(0, 12)})`,
      (s) => applyPlan({ pack: openPack(home, s.ops), plan, owner: ctx.owner, now: ctx.now(), changelog: opts.changelog !== false, hooks: s.hooks, repoLocation, acceptExpiredBundle: Boolean(opts.acceptExpired) }),
      (r) => [r.status, ...r.conflicts.map((c) => `conflict ${c}`)]);
  }
  if (health !== undefined && outcome.status === 'applied') {
    await checkHealth(ctx, home, health, outcome.generation, planned);
  }
  if (template !== undefined && planned !== null) {
    const { renderTemplate } = await import('../../ui/plan-review.js');
    ctx.stdout.write(renderTemplate(template, planned));
  }
  const sides = outcome.status === 'conflicts' ? await waitingSides(openPack(home)) : undefined;
  writeApplyReport(ctx, { prog: ctx.prog, shell: ctx.shell, home }, { command: 'apply', status: outcome.status, home, ...levels, generation: outcome.generation, conflicts: outcome.conflicts, ...(sides ? { sides } : {}), warnings: outcome.warnings, ...(plan?.hotfix ? { hotfix: plan.hotfix.id } : {}) }, json);
  return outcome.status === 'conflicts' ? EXIT.conflicts : EXIT.ok;
}
