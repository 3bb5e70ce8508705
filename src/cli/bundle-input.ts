// What `plan --bundle FILE` and `apply-update FILE` settle before planning: the file is a bundle (walked strictly at
// open, io/bundle/), it is for this pack's product, and it covers the pack's level and the one asked for (default:
// the bundle's last). Its trust is checked by planning itself, exactly like a channel's (openRepository).
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { openBundle } from '../channel/bundle/transport.js';
import type { BundleInfo } from '../core/model.js';
import { readBundleInfo } from '../channel/bundle/info.js';
import { readState } from '../io/state.js';
import { assertOwnFolders } from '../io/pack-guard.js';
import { packTrust } from '../channel/trust/source.js';
import type { Pack } from '../io/pack.js';
import type { CliContext, RawOptions } from './context.js';
import { optLevel } from './options.js';

export interface BundleRequest {
  repo: string;
  level: number;
  info: BundleInfo;
  /**
   * The bundle, held open until the command ends (`release`): planning and apply open it again by its path and share
   * this walk (and a gzip bundle's decompressed copy) instead of decompressing and scanning it once more each.
   */
  release: () => Promise<void>;
}

export async function bundleRequest(ctx: CliContext, pack: Pack, file: string, opts: RawOptions): Promise<BundleRequest> {
  const repo = resolve(ctx.cwd, file);
  if (!statSync(repo, { throwIfNoEntry: false })?.isFile()) {
    throw new UpdateError('not-found', `the bundle ${repo} is not a file`, { hint: 'Give the .tar file that `wso2update create-update` wrote.' });
  }
  if (opts.repo !== undefined) throw new UpdateError('usage', 'a bundle is the repository: --repo does not go with it', { hint: 'Leave out --repo.' });
  const state = await readState(pack);
  packTrust(pack, state); // a pack that trusts no root is refused before the bundle is opened
  // A gzip bundle is decompressed under updates/wso2update/: never through a symlinked folder of the tool's own.
  assertOwnFolders(pack.home, ['updates', 'updates/wso2update']);
  // Ctrl-C while a gzip bundle is decompressed stops it, and its private copy is removed (gunzip.ts).
  const abort = new AbortController();
  const off = ctx.onSignal(() => abort.abort());
  const bundle = await openBundle(repo, { stagingDir: pack.paths.own, signal: abort.signal }).finally(off);
  let info: BundleInfo;
  try {
    info = await readBundleInfo(bundle);
    checkCovers(info, state, opts);
  } catch (err) {
    await bundle.close();
    throw err;
  }
  return { repo, level: optLevel(opts, 'level', 'level', state.product) ?? info.toLevel, info, release: () => bundle.close() };
}

function checkCovers(info: BundleInfo, state: { product: string; level: number }, opts: RawOptions): void {
  const covers = `the bundle covers ${info.product} levels ${info.levels.join(', ')}`;
  if (info.product !== state.product) {
    throw new UpdateError('usage', `${covers}, but this pack is ${state.product}`, { hint: 'Use the bundle made for this product; nothing was changed.' });
  }
  if (!info.levels.includes(state.level)) {
    throw new UpdateError('usage', `${covers}; this pack is at level ${state.level}, which it does not cover`, {
      hint: state.level < info.fromLevel
        ? `Ask for a bundle made with \`create-update --from ${state.level} --to ${info.toLevel}\`; nothing was changed.`
        : 'Nothing was changed. The pack is not at a level this bundle knows; ask for a bundle from its level.',
    });
  }
  const level = optLevel(opts, 'level', 'level', state.product) ?? info.toLevel;
  if (!info.levels.includes(level)) throw new UpdateError('usage', `${covers}, not level ${level}`, { hint: `Leave out --level for level ${info.toLevel}.` });
}
