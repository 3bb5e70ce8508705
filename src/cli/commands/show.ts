// `show PLAN [--json|--markdown] [--reveal-secrets]`: a plan for review, read with every check apply makes, so
// what is reviewed is what apply would accept. Data goes to stdout; warnings go to stderr.
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { readPlan } from '../../io/planfile.js';
import type { Warnings } from '../../io/validate.js';
import { renderDiagnostics } from '../../ui/diagnostics.js';
import { renderJson } from '../../ui/show-json.js';
import { renderMarkdown } from '../../ui/show-markdown.js';
import { renderText } from '../../ui/show-text.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';

export const run: CommandRun = async (ctx, args, opts) => {
  if (!args[0]) throw new UpdateError('usage', 'show needs the plan file to show', { hint: 'wso2update show wso2update.plan.json' });
  if (opts.json && opts.markdown) throw new UpdateError('usage', '--json and --markdown exclude each other', { hint: 'Pick one view.' });
  const warnings: Warnings = [];
  const plan = await readPlan(resolve(ctx.cwd, args[0]), warnings);
  const view = { revealSecrets: Boolean(opts.revealSecrets) };
  print(ctx, { stderr: renderDiagnostics(warnings), stdout: opts.json ? renderJson(plan, view) : opts.markdown ? renderMarkdown(plan, view) : renderText(plan, view) });
  return EXIT.ok;
};
