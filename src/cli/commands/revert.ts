// `revert`: undo the last apply (or, with --to-level N, several). A revert is a plan (plan/revert.ts):
// `--out FILE` writes it for review (`show`) and a later `apply FILE`, `--dry-run` shows it, and plain `revert`
// makes it, asks, and applies it in one process. From the waiting state of a conflicted apply it rolls that apply
// back. Exit 4 (WSO2's "reverted") on success; "nothing to revert" is the same refusal (exit 1) however asked.
import { resolve } from 'node:path';
import { withPackLock } from '../../apply/pack-lock.js';
import { applyRevertPlan, revertOnce } from '../../apply/revert.js';
import { deriveRevert, revertPreview } from '../../plan/revert.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { openPack } from '../../io/pack.js';
import { journalStatus, pendingRefusal } from '../../io/pending-run.js';
import { writePlan } from '../../io/planfile.js';
import { readState, resolveHome } from '../../io/state.js';
import { writeApplyReport } from '../../ui/apply-report.js';
import { pasteable } from '../../ui/hints.js';
import { renderSummary } from '../../ui/show-text.js';
import type { CliContext, CommandRun } from '../context.js';
import type { PackState, Plan } from '../../core/model.js';
import { optLevel, optString } from '../options.js';
import { inSession } from '../apply-session.js';
import { keepYoungGenerationSmall } from '../young-generation.js';
import { confirm } from '../prompt.js';
import { approvalDemands, refuseOneShot } from '../approval-gate.js';
import { audited, auditRefusal } from '../audited.js';

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

export const run: CommandRun = async (ctx, _args, opts) => {
  keepYoungGenerationSmall();
  const home = resolveHome(ctx.cwd, opts.home);
  const inv = { prog: ctx.prog, shell: ctx.shell, home };
  const to = optLevel(opts, 'toLevel', '--to-level');
  const out = optString(opts, 'out');
  if (out !== undefined && opts.dryRun) throw new UpdateError('usage', '--out and --dry-run are two ways to see the revert plan: pass one', { hint: 'Use --out FILE to keep it for review, --dry-run to see it now.' });
  const state = await readState(openPack(home));
  const pending = await journalStatus(openPack(home));
  const refusal = pendingRefusal(openPack(home), pending, ['none', 'waiting']);
  if (refusal) throw refusal;
  const waiting = pending.pending === 'waiting' ? pending.journal : null;
  if (waiting && out !== undefined) {
    throw new UpdateError('usage', 'an update waits on conflicts: it is rolled back by `revert` itself, not by a plan', {
      hint: `Run \`wso2update revert --home ${home}\` to roll it back, or resolve the conflicts and run \`apply --continue\`.`,
    });
  }
  const derived = waiting ? null : await deriveRevert(openPack(home), state, { toLevel: to, force: Boolean(opts.force), now: ctx.now() });
  const plan = derived?.plan ?? null;
  let what: string;
  if (derived) {
    const p = revertPreview(derived);
    const fixes = undoneHotfixes(derived.plan, state);
    what = fixes && p.fromLevel === p.toLevel
      ? `Revert hotfix ${fixes} on level ${p.fromLevel}: ${count(p.files, 'file', 'files')}`
      : `Revert ${count(p.updates, 'update', 'updates')}: level ${p.fromLevel} -> ${p.toLevel}, ${count(p.files, 'file', 'files')}`;
  } else {
    what = `Roll back the update that waits on conflicts: level ${waiting?.toLevel} -> ${waiting?.fromLevel}`;
  }
  if (plan && out !== undefined) {
    const file = resolve(ctx.cwd, out);
    await writePlan(file, plan);
    ctx.stderr.write(pasteable(renderSummary(plan, file, ctx.shell), inv));
    return EXIT.ok;
  }
  if (opts.dryRun) {
    if (plan) ctx.stderr.write(pasteable(renderSummary(plan), inv));
    ctx.stderr.write(`Would ${what[0].toLowerCase()}${what.slice(1)}. Nothing was changed (--dry-run).\n`);
    return EXIT.ok;
  }
  if (plan) {
    // Under an approval policy a revert is a plan like any other: written with --out, approved, applied.
    try {
      refuseOneShot(await approvalDemands(home, ctx.cwd, opts), ctx.prog, home, 'revert --out PLAN');
    } catch (err) {
      await auditRefusal(ctx, home, { command: 'revert', plan, approvers: [] }, err);
      throw err;
    }
  }
  if (!(await confirm(ctx, opts, `${what}?`))) {
    ctx.stderr.write('Nothing reverted.\n');
    return EXIT.ok;
  }
  if (plan) return audited(ctx, home, { command: 'revert', plan, approvers: [] }, () => runRevertPlan(ctx, home, plan, Boolean(opts.json)));
  // Rolling back an update that waits on its conflicts (never committed) returns to the approved state before it,
  // as recover would after a crash: no approvals, but a record.
  return audited(ctx, home, { command: 'revert (waiting update)', plan: null, approvers: [], fromLevel: waiting?.toLevel ?? null, toLevel: waiting?.fromLevel ?? null }, () => rollBackWaiting(ctx, home, opts, waiting?.toLevel));
};

async function rollBackWaiting(ctx: CliContext, home: string, opts: Record<string, unknown>, fromLevel: number | undefined): Promise<number> {
  const inv = { prog: ctx.prog, shell: ctx.shell, home };
  const r = await inSession(ctx, home, 'revert', (s) => withPackLock(openPack(home, s.ops), ctx.owner, (_, pack) => revertOnce(pack, { force: Boolean(opts.force), now: ctx.now(), hooks: s.hooks }), ['waiting']), logLines);
  writeApplyReport(ctx, inv, { command: 'revert', status: 'reverted', home, fromLevel, toLevel: (await readState(openPack(home))).level, generation: r.generation, conflicts: [], drifted: r.drifted, warnings: r.warnings }, Boolean(opts.json));
  return EXIT.reverted;
}

const logLines = (x: { generation?: string; drifted: string[] }) => [`generation ${x.generation}`, ...x.drifted.map((d) => `kept edited ${d}`)];

/** The hotfixes whose generations a revert plan undoes: a hotfix is named by its id (its levels are the same on both sides). */
function undoneHotfixes(plan: Plan, state: PackState): string | undefined {
  const undone = new Set(plan.revert?.generations ?? (plan.revert ? [plan.revert.generation] : []));
  return (state.hotfixes ?? []).filter((h) => undone.has(h.generation)).map((h) => h.id).join(', ') || undefined;
}

/** Applies a revert plan (made now, or reviewed and given to `apply FILE`) and reports it: exit 4. */
export async function runRevertPlan(ctx: CliContext, home: string, plan: Plan, json: boolean): Promise<number> {
  const hotfix = undoneHotfixes(plan, await readState(openPack(home)));
  const r = await inSession(ctx, home, `revert ${plan.fromLevel} -> ${plan.toLevel} (plan ${plan.digest.slice(0, 12)})`,
    (s) => applyRevertPlan({ pack: openPack(home, s.ops), plan, owner: ctx.owner, now: ctx.now(), hooks: s.hooks }), logLines);
  const after = await readState(openPack(home));
  writeApplyReport(ctx, { prog: ctx.prog, shell: ctx.shell, home }, { command: 'revert', status: 'reverted', home, fromLevel: plan.fromLevel, toLevel: after.level, ...(hotfix ? { hotfix } : {}), generation: r.generation, conflicts: [], drifted: r.drifted, warnings: r.warnings }, json);
  return EXIT.reverted;
}
