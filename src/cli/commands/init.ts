// `init`: adopt a pack (plan/adopt.ts does it), or with --reconfigure change an adopted pack's repository
// (plan/repoint.ts). This shell reads the options, makes the lineage id and renders the report.
import { randomUUID } from 'node:crypto';
import { EXIT, UpdateError } from '../../core/errors.js';
import { adopt } from '../../plan/adopt.js';
import { repoint } from '../../plan/repoint.js';
import { readProduct, resolveHome } from '../../io/state.js';
import { renderInit, renderRepointed } from '../../ui/status.js';
import { packOf, type CommandRun } from '../context.js';
import { print } from '../print.js';
import { optLevel, optRepo, optTrustRoot } from '../options.js';

/** How many generations revert can reach (each holds only what one apply replaced); 3 unless said. */
function optKeep(opts: Record<string, unknown>): number {
  const raw = opts.keepGenerations;
  if (raw === undefined) return 3;
  const n = typeof raw === 'number' ? raw : /^\d+$/.test(String(raw)) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new UpdateError('usage', `--keep-generations must be a whole number from 1 to 100, got ${JSON.stringify(raw)}`);
  }
  return n;
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const pack = packOf(ctx, opts);
  const { home } = pack;
  const repo = optRepo(opts, ctx.cwd);
  // The product is read for a WSO2-style `4.2.0.45` level only, which is checked against its version.
  const product = typeof opts.level === 'string' && opts.level.includes('.') ? await readProduct(pack) : undefined;
  const level = optLevel(opts, 'level', 'level', product);
  const keepGenerations = optKeep(opts);
  const trust = { ...optTrustRoot(opts, ctx.cwd), allowUnsigned: Boolean(opts.allowUnsigned) };
  if (opts.reconfigure) {
    if (!repo) throw new UpdateError('usage', 'init --reconfigure needs --repo <url|dir|bundle.tar>: the new repository of this pack');
    if (opts.level !== undefined || opts.keepGenerations !== undefined) {
      throw new UpdateError('usage', 'init --reconfigure changes only the repository (and its trust): --level and --keep-generations stay as adopted');
    }
    const given = trust.rootFile !== undefined || trust.rootSha256 !== undefined || trust.allowUnsigned;
    const r = await repoint({ pack, repo, trust: given ? trust : null, owner: ctx.owner });
    print(ctx, renderRepointed({ prog: ctx.prog, home }, r, Boolean(opts.json)));
    return EXIT.ok;
  }
  // The approval policy is read and checked before anything is adopted: a bad allowed_signers file leaves no pack behind.
  const { policyFromFlags, recordInitialPolicy } = await import('./policy.js');
  const policy = await policyFromFlags(ctx.cwd, opts);
  const { state, report, trust: versions } = await adopt({ pack, repo, level, keepGenerations, trust, lineage: randomUUID() });
  if (policy && policy.next.required > 0) await recordInitialPolicy(ctx, home, policy);
  print(ctx, renderInit({ prog: ctx.prog, shell: ctx.shell, home }, state, report, versions, Boolean(opts.json)));
  return EXIT.ok;
};
