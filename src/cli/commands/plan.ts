// `plan`: compare the pack with a level and write the plan file (0600). People get the summary on stderr,
// automation the plan JSON on stdout with --json. Exit 3 for conflicts under `stop`; with --detailed-exitcode,
// 10 when the plan changes anything (3 still wins, since conflicts need a person first).
import { join, relative, resolve } from 'node:path';
import { EXIT, type Diagnostic } from '../../core/errors.js';
import { changesFiles, stopsOnConflicts } from '../../core/plan/effect.js';
import { assertPlanWritable, DEFAULT_PLAN_FILE, writePlan } from '../../io/planfile.js';
import { makePlan } from '../../plan/update.js';
import { readProduct } from '../../io/state.js';
import type { Pack } from '../../io/pack.js';
import { renderDiagnostics } from '../../ui/diagnostics.js';
import { renderPlanned } from '../../ui/plan-review.js';
import { packOf, type CliContext, type CommandRun, type RawOptions } from '../context.js';
import type { ConflictPolicy, Plan } from '../../core/model.js';
import type { BundleRequest } from '../bundle-input.js';
import { optLevel, optPolicy, optRepo, optString } from '../options.js';
import { print } from '../print.js';
import { madeOn } from '../audit-trail.js';

/**
 * The current folder, unless it is inside the pack (the WSO2 habit of running from <home>/bin): a plan holds merged
 * configs, so it goes to our own updates/wso2update/ there, never among the product's files.
 */
function defaultOut(cwd: string, pack: Pack): string {
  const rel = relative(pack.home, resolve(cwd));
  const inside = rel === '' || (!rel.startsWith('..') && !rel.startsWith('/'));
  return inside ? join(pack.paths.own, DEFAULT_PLAN_FILE) : DEFAULT_PLAN_FILE;
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const pack = packOf(ctx, opts);
  const { home } = pack;
  const policy = optPolicy(opts);
  // A WSO2-style `4.2.0.45` level is checked against the product's version, so read the identity only then.
  const product = typeof opts.level === 'string' && opts.level.includes('.') ? await readProduct(pack) : undefined;
  const bundleFile = optString(opts, 'bundle');
  const bundle = bundleFile === undefined ? null : await (await import('../bundle-input.js')).bundleRequest(ctx, pack, bundleFile, opts);
  try {
    return await planWith(ctx, opts, pack, policy, product, bundle);
  } finally {
    await bundle?.release();
  }
};

async function planWith(ctx: CliContext, opts: RawOptions, pack: Pack, policy: ConflictPolicy, product: string | undefined, bundle: BundleRequest | null): Promise<number> {
  const level = bundle?.level ?? optLevel(opts, 'level', 'level', product);
  const repo = bundle?.repo ?? optRepo(opts, ctx.cwd);
  // WSO2's --dry-run leaves no trace: no plan file (unless --out asks for one) and no cached blob.
  const trace = !opts.dryRun || opts.out !== undefined;
  const out = trace ? resolve(ctx.cwd, optString(opts, 'out') ?? defaultOut(ctx.cwd, pack)) : undefined;
  const template = optString(opts, 'template');

  if (out !== undefined) assertPlanWritable(out);
  const warnings: Diagnostic[] = [];
  // The plan file written, a plan that changes files has its manifests' verdicts kept for apply (not a dry run's).
  const finish = async (p: Plan): Promise<boolean> => {
    print(ctx, { stderr: renderDiagnostics(warnings), stdout: '' });
    if (out === undefined) return false;
    await writePlan(out, p);
    return changesFiles(p);
  };
  const plan = await makePlan({ pack, repo, level, policy, portable: Boolean(opts.portable), now: ctx.now(), warnings, acceptExpiredBundle: Boolean(opts.acceptExpired), noCache: !trace, madeOn: madeOn(ctx, pack.home), finish });
  const { home } = pack;
  print(ctx, renderPlanned(plan, {
    inv: { prog: ctx.prog, shell: ctx.shell, home }, writtenTo: out, dryRunNote: out === undefined && changesFiles(plan), json: Boolean(opts.json), template,
  }));

  if (stopsOnConflicts(plan)) return EXIT.conflicts;
  if (opts.detailedExitcode && changesFiles(plan)) return EXIT.changes;
  return EXIT.ok;
}
