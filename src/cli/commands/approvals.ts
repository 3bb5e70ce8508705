// `approvals PLAN --require-approvals N --allowed-signers FILE [--approval SIG]... [--json]`: checks a plan's
// approvals without a pack, as apply would (a controller before a rollout, a CI gate): exit 0 approved, 7 not,
// naming who approved and what is missing. Nothing is written.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decideApprovals } from '../../core/approval/decide.js';
import { checkRequired } from '../../core/approval/policy.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { readAllowedSigners, readApprovalFiles } from '../../io/approvals.js';
import { parsePlan } from '../../io/planfile.js';
import { renderVerdict } from '../../ui/approvals.js';
import { print } from '../print.js';
import { localClock } from '../approval-clock.js';
import { optList } from '../approval-gate.js';
import type { CommandRun } from '../context.js';

export const run: CommandRun = async (ctx, args, opts) => {
  if (!args[0]) throw new UpdateError('usage', 'approvals needs the plan file to check', { hint: 'wso2update approvals PLAN --require-approvals 2 --allowed-signers allowed_signers' });
  if (typeof opts.allowedSigners !== 'string' || opts.requireApprovals === undefined) {
    throw new UpdateError('usage', 'approvals needs --require-approvals N and --allowed-signers FILE (the policy to check against)');
  }
  const planFile = resolve(ctx.cwd, args[0]);
  const bytes = await readFile(planFile).catch((err: NodeJS.ErrnoException) => {
    throw new UpdateError(err.code === 'ENOENT' ? 'not-found' : 'io', `cannot read ${planFile}: ${err.message}`, { cause: err });
  });
  const plan = parsePlan(bytes.toString('utf8'), planFile);
  const signers = await readAllowedSigners(resolve(ctx.cwd, opts.allowedSigners));
  const files = await readApprovalFiles(planFile, optList(opts.approval).map((f) => resolve(ctx.cwd, f)));
  const v = decideApprovals(bytes, files, signers.lines, checkRequired(Number(opts.requireApprovals)), localClock(ctx.now()));
  print(ctx, renderVerdict(plan.digest, v, Boolean(opts.json)));
  return v.ok ? EXIT.ok : EXIT.verification;
};
