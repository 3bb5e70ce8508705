// `show PLAN [--json|--markdown|--html [--out FILE]] [--reveal-secrets]`: a plan for review, read with every check
// apply makes, so what is reviewed is what apply would accept. Data goes to stdout (or --out); warnings to stderr.
// The review page (--html) can also show the approvals present and missing against an allowed signers file.
import { resolve } from 'node:path';
import { decideApprovals } from '../../core/approval/decide.js';
import { checkRequired } from '../../core/approval/policy.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { readAllowedSigners, readApprovalFiles } from '../../io/approvals.js';
import { readPlanFile } from '../../io/planfile.js';
import type { Warnings } from '../../io/validate.js';
import { renderDiagnostics } from '../../ui/diagnostics.js';
import { pageWritten, renderReviewPage } from '../../ui/review-page.js';
import { renderJson } from '../../ui/show-json.js';
import { renderMarkdown } from '../../ui/show-markdown.js';
import { renderText } from '../../ui/show-text.js';
import { localClock } from '../approval-clock.js';
import { optList } from '../approval-gate.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';

export const run: CommandRun = async (ctx, args, opts) => {
  if (!args[0]) throw new UpdateError('usage', 'show needs the plan file to show', { hint: 'wso2update show wso2update.plan.json' });
  const views = ['json', 'markdown', 'html'].filter((v) => opts[v]);
  if (views.length > 1) throw new UpdateError('usage', `${views.map((v) => `--${v}`).join(' and ')} exclude each other`, { hint: 'Pick one view.' });
  if (opts.out !== undefined && !opts.html) throw new UpdateError('usage', '--out goes with --html (the other views print to stdout)');
  if (!opts.html && (opts.allowedSigners !== undefined || opts.requireApprovals !== undefined)) {
    throw new UpdateError('usage', '--allowed-signers and --require-approvals go with --html (the review page shows the approvals)');
  }
  const warnings: Warnings = [];
  const file = resolve(ctx.cwd, args[0]);
  const { plan, bytes } = await readPlanFile(file, warnings);
  const view = { revealSecrets: Boolean(opts.revealSecrets) };
  if (!opts.html) {
    print(ctx, { stderr: renderDiagnostics(warnings), stdout: opts.json ? renderJson(plan, view) : opts.markdown ? renderMarkdown(plan, view) : renderText(plan, view) });
    return EXIT.ok;
  }
  let approvals = null;
  let policy = null;
  if (typeof opts.allowedSigners === 'string') {
    const signers = await readAllowedSigners(resolve(ctx.cwd, opts.allowedSigners));
    const required = opts.requireApprovals === undefined ? 1 : checkRequired(Number(opts.requireApprovals));
    policy = { required, allowedSigners: signers.sha256 };
    approvals = decideApprovals(bytes, await readApprovalFiles(file, optList(opts.approval).map((f) => resolve(ctx.cwd, f))), signers.lines, required, localClock(ctx.now()));
  }
  const page = renderReviewPage({ plan, display: plan.display, policy, approvals }, view);
  if (typeof opts.out !== 'string') {
    print(ctx, { stderr: renderDiagnostics(warnings), stdout: page });
    return EXIT.ok;
  }
  const out = resolve(ctx.cwd, opts.out);
  await writeFileAtomic(out, page, { mode: 0o644 });
  print(ctx, { stderr: renderDiagnostics(warnings) + pageWritten(plan.digest, out), stdout: '' });
  return EXIT.ok;
};
