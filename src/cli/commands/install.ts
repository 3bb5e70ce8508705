// `install --home PACK [--from DIR]`: this platform's single executable into PACK/bin/ (selfupdate/install.ts).
import { EXIT } from '../../core/errors.js';
import { resolveHome } from '../../io/state.js';
import { installTool } from '../../selfupdate/install.js';
import { renderInstalled } from '../../ui/install.js';
import type { CommandRun } from '../context.js';
import { optString } from '../options.js';
import { print } from '../print.js';
import { checkoutRelease, launcherInfo, platformId } from '../self-update.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const host = { launcher: launcherInfo(), platform: platformId(), checkoutRelease };
  const r = await installTool(host, resolveHome(ctx.cwd, opts.home), ctx.cwd, optString(opts, 'from'));
  print(ctx, renderInstalled(r, Boolean(opts.json)));
  return EXIT.ok;
};
