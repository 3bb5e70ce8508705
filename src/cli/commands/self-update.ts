// `self-update`: the check every command on an adopted pack makes first (cli/self-update.ts), asked for on its own.
// Exit 2 when the tool updated itself, 0 when it already is the newest signed release on the pack's channel.
import { EXIT } from '../../core/errors.js';
import { TOOL_VERSION } from '../../core/version.js';
import type { CommandRun } from '../context.js';
import { print } from '../print.js';
import { selfUpdateNow } from '../self-update.js';
import { renderSelfUpdate } from '../../ui/self-update.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const r = await selfUpdateNow(ctx, opts);
  print(ctx, renderSelfUpdate(r, TOOL_VERSION, Boolean(opts.json)));
  return r === null ? EXIT.ok : EXIT.selfUpdated;
};
