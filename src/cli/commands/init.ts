// `init`: adopt a pack (io/adopt.ts does it). This shell reads the options, makes the lineage id and renders the
// report of what is already customized.
import { randomUUID } from 'node:crypto';
import { EXIT, UpdateError } from '../../core/errors.js';
import { adopt } from '../../io/adopt.js';
import { readProduct, resolveHome } from '../../io/state.js';
import { writeInit, writeJson } from '../../ui/status.js';
import type { CommandRun } from '../context.js';
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
  const home = resolveHome(ctx.cwd, opts.home);
  const repo = optRepo(opts, ctx.cwd);
  // The product is read for a WSO2-style `4.2.0.45` level only, which is checked against its version.
  const product = typeof opts.level === 'string' && opts.level.includes('.') ? await readProduct(home) : undefined;
  const level = optLevel(opts, 'level', 'level', product);
  const keepGenerations = optKeep(opts);
  const trust = { ...optTrustRoot(opts, ctx.cwd), allowUnsigned: Boolean(opts.allowUnsigned) };
  const { state, report, trust: versions } = await adopt({ home, repo, level, keepGenerations, trust, lineage: randomUUID() });
  if (opts.json) writeJson(ctx.stdout, { home, ...state, trust: versions, report });
  writeInit(ctx.stderr, { prog: ctx.prog, shell: ctx.shell, home }, state, report, versions);
  return EXIT.ok;
};
