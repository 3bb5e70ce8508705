// `create-update --from L1 --to L2 --out FILE.tar [--repo URL|DIR]` (WSO2: `create-update -s L1 -e L2`): one tar
// that updates a pack from any level L1..L2 to L2 without a repository (publish/bundle/create.ts). Run beside a pack, the
// pack's product, repository and pinned root are the defaults; elsewhere --repo, --product and a trust root say them.
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { createUpdateBundle } from '../../publish/bundle/create.js';
import { openTransport } from '../../channel/open.js';
import { isAdopted, readState, resolveHome } from '../../io/state.js';
import { hasPinnedRoot } from '../../channel/trust/store.js';
import type { Pack } from '../../io/pack.js';
import { rootToPin } from '../../channel/trust/pin.js';
import { renderUpdateBundle } from '../../ui/offline.js';
import { packOf, type CommandRun } from '../context.js';
import { print } from '../print.js';
import { optLevel, optRepo, optString, optTrustRoot } from '../options.js';

/**
 * The time bundle.json records: now, or SOURCE_DATE_EPOCH (the reproducible-builds convention) so that the same
 * levels give the same bytes on any machine and at any time. It is the time --accept-expired judges expiry at.
 */
function madeAt(env: NodeJS.ProcessEnv, now: Date): Date {
  const raw = env.SOURCE_DATE_EPOCH;
  if (raw === undefined || raw === '') return now;
  if (!/^\d{1,12}$/.test(raw)) throw new UpdateError('usage', `SOURCE_DATE_EPOCH must be whole seconds since 1970, got ${JSON.stringify(raw)}`);
  return new Date(Number(raw) * 1000);
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const pack = packOf(ctx, opts);
  const { home } = pack;
  const adopted = isAdopted(pack) ? await readState(pack) : null;
  if (opts.home !== undefined && !adopted) throw new UpdateError('not-found', `${home} is not adopted by wso2update`, { hint: 'Leave out --home and give --repo, --product and --trust-root instead.' });
  const product = optString(opts, 'product') ?? adopted?.product;
  const location = optRepo(opts, ctx.cwd) ?? adopted?.repository;
  const outRaw = optString(opts, 'out');
  if (!product || !location || !outRaw) {
    throw new UpdateError('usage', `create-update needs ${[!outRaw && '--out FILE.tar', !location && '--repo URL|DIR', !product && '--product NAME-VERSION'].filter(Boolean).join(', ')}`, {
      hint: 'For example: wso2update create-update --repo /srv/wso2-updates --product wso2am-4.2.0 --trust-root root.json --from 1 --to 3 --out wso2am-1-3.tar (beside an adopted pack, --home is enough for the repository, product and root).',
    });
  }
  const from = optLevel(opts, 'from', 'from', product);
  const to = optLevel(opts, 'to', 'to', product);
  if (from === undefined || to === undefined) throw new UpdateError('usage', 'create-update needs --from L1 and --to L2 (WSO2: -s L1 -e L2)');
  const { rootFile, rootSha256 } = optTrustRoot(opts, ctx.cwd);
  // A bundle is always signed: the source is verified against the root given, else the pack's pinned one.
  const root = rootFile === undefined && rootSha256 === undefined && adopted
    ? await packRoot(pack)
    : await rootToPin(location, { rootFile, rootSha256, allowUnsigned: false, neverUnsigned: true });
  if (root === null) throw new UpdateError('internal', 'no root to verify the source against');
  const source = await openTransport(location);
  const out = resolve(ctx.cwd, outRaw);
  const started = ctx.now().getTime();
  const abort = new AbortController();
  const off = ctx.onSignal(() => abort.abort()); // Ctrl-C: downloads and the writer stop; no partial bundle is left
  try {
    const r = await createUpdateBundle({ source, root, product, from, to, out, now: madeAt(ctx.env, ctx.now()), signal: abort.signal });
    const seconds = (ctx.now().getTime() - started) / 1000;
    print(ctx, renderUpdateBundle({ ...r, out, outAsGiven: outRaw, product, from, to, seconds }, ctx.prog, Boolean(opts.json)));
  } finally {
    off();
    await source.close?.();
  }
  return EXIT.ok;
};

/** The root the pack pins (a damaged one is named as this machine's file, never blamed on the channel). */
async function packRoot(pack: Pack): Promise<Buffer> {
  if (!hasPinnedRoot(pack.paths.trust)) {
    throw new UpdateError('verification', `the pack ${pack.home} pins no trust root, and a bundle is always signed`, { hint: 'Give the channel\'s root with --trust-root ROOT.json.' });
  }
  const { keptRoot } = await import('../../channel/trust/client.js'); // loaded when used, like the rest of the trust layer
  return keptRoot(pack.paths.trust);
}
