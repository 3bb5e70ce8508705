// bundle.json: what an update bundle says it covers (product, levels) and when it was made. It is not signed, so it
// never vouches for content (TUF and the manifests do); it picks the default target level, lets a refusal name the
// levels a pack needs, and gives the bundle time that `--accept-expired` judges expiry at (README "Offline bundles").
import { UpdateError } from '../../core/errors.js';
import type { Transport } from '../transport.js';
import { parseJsonFile } from '../../io/validate.js';
import type { BundleInfo } from '../../core/model.js';

export const BUNDLE_INFO = 'bundle.json';

export async function readBundleInfo(t: Transport): Promise<BundleInfo> {
  const where = `${t.location} (${BUNDLE_INFO})`;
  const bytes = await t.read(BUNDLE_INFO, { maxBytes: 1 << 20 }).catch((err: unknown) => {
    if (err instanceof UpdateError && err.code === 'not-found') {
      throw new UpdateError('verification', `${t.location} is not an update bundle: it has no ${BUNDLE_INFO}`, { hint: 'Use a bundle written by `wso2update create-update`; nothing was changed.' });
    }
    throw err;
  });
  const info = parseJsonFile<BundleInfo>(bytes.toString('utf8'), where, 'bundle');
  const sorted = info.levels.every((l, i) => i === 0 || l > info.levels[i - 1]);
  if (!sorted || info.levels[0] !== info.fromLevel || info.levels.at(-1) !== info.toLevel) {
    throw new UpdateError('verification', `${where} is inconsistent: its levels ${info.levels.join(', ')} do not run from ${info.fromLevel} to ${info.toLevel}`, { hint: 'Make the bundle again with `wso2update create-update`; nothing was changed.' });
  }
  return info;
}
