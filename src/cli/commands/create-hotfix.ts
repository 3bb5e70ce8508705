// `create-hotfix --repo URL|DIR --product P --id ID --out FILE.tar (--trust-root ROOT.json | --trust-root-sha256 HEX)`:
// the hotfix archive for an air-gapped site (publish/bundle/hotfix-archive.ts), read from the channel and verified as a new
// client would, against the root given. There, `apply-hotfix FILE.tar` verifies it against the pack's pinned root.
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { assertHotfixId } from '../../core/hotfix.js';
import { assertProductName } from '../../core/publish.js';
import { createHotfixArchive } from '../../publish/bundle/hotfix-archive.js';
import { openTransport } from '../../channel/open.js';
import { rootToPin } from '../../channel/trust/pin.js';
import { renderHotfixArchive } from '../../ui/offline.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { optString, optTrustRoot } from '../options.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const [repo, product, id, out] = ['repo', 'product', 'id', 'out'].map((k) => optString(opts, k));
  if (!repo || !product || !id || !out) {
    throw new UpdateError('usage', 'create-hotfix needs --repo, --product, --id and --out', { hint: 'For example: wso2update create-hotfix --repo /srv/wso2-updates --product wso2am-4.2.0 --id WSO2-HF-2026-0042 --out WSO2-HF-2026-0042.tar --trust-root root.json' });
  }
  assertProductName(product);
  assertHotfixId(id, '--id');
  const location = /^https?:\/\//i.test(repo) ? repo : resolve(ctx.cwd, repo);
  const root = await rootToPin(location, { ...optTrustRoot(opts, ctx.cwd), allowUnsigned: false, neverUnsigned: true });
  if (root === null) throw new UpdateError('usage', 'a hotfix archive is always signed: create-hotfix needs --trust-root ROOT.json or --trust-root-sha256 HEX', { hint: 'Pin the root of the channel, as `init` does.' });
  const source = await openTransport(location);
  const abort = new AbortController();
  const off = ctx.onSignal(() => abort.abort()); // Ctrl-C: downloads and the writer stop; no scratch, no partial archive
  try {
    const r = await createHotfixArchive({ source, root, product, id, out: resolve(ctx.cwd, out), signal: abort.signal });
    print(ctx, renderHotfixArchive(r, id, product, Boolean(opts.json)));
  } finally {
    off();
    await source.close?.();
  }
  return EXIT.ok;
};
