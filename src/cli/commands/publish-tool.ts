// `publish-tool --repo DIR --keys DIR --release-version V --from dist/release`: publishes a tool release (built by
// `npm run dist`) into a signed channel as TUF targets (publish/tool.ts copies it in, publish/sign.ts signs),
// so that packs adopted to the channel update their wso2update from it. `--version V` is read as --release-version.
import { resolve } from 'node:path';
import { EXIT, UpdateError } from '../../core/errors.js';
import { loadKeys } from '../../publish/keys.js';
import { addToolRelease } from '../../publish/tool.js';
import { checkKeys, isSigned, signRepository } from '../../publish/sign.js';
import { renderToolPublished } from '../../ui/publish.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { optString } from '../options.js';
import { optExpiry, optKeys } from '../signing.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const repoOpt = optString(opts, 'repo');
  const version = optString(opts, 'releaseVersion', 'release-version');
  const from = optString(opts, 'from');
  const keysDir = optKeys(opts, ctx.cwd);
  const example = 'wso2update publish-tool --repo ./repo --keys ./keys --release-version 0.2.0 --from dist/release';
  if (!repoOpt || !version || !from || !keysDir) {
    throw new UpdateError('usage', 'publish-tool needs --repo DIR, --keys DIR, --release-version V and --from DIR', { hint: `For example: ${example}` });
  }
  if (!/^[0-9]{1,6}(\.[0-9]{1,6}){1,3}$/.test(version)) throw new UpdateError('usage', `--release-version must be a version such as 0.2.0, got ${JSON.stringify(version)}`);
  const repo = resolve(ctx.cwd, repoOpt);
  // Tool releases are only ever signed: a client takes an executable from nothing less than a TUF target.
  if (!isSigned(repo)) throw new UpdateError('usage', `${repo} is not a signed channel (no metadata/root.json)`, { hint: 'Publish a level with --keys first; tool releases are published only as signed targets.' });
  const keys = await loadKeys(keysDir);
  await checkKeys(repo, keys);
  const { release, previous } = await addToolRelease(repo, resolve(ctx.cwd, from), version);
  const signed = await signRepository(repo, keys, { now: ctx.now(), expiry: optExpiry(opts) });
  print(ctx, renderToolPublished({ repository: repo, version, previous, runtime: release.runtime, files: release.files }, signed, Boolean(opts.json)));
  return EXIT.ok;
};
