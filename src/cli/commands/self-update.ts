// `self-update`: the check every command on an adopted pack makes first (cli/self-update.ts), asked for on its own.
// Exit 2 when the tool updated itself, 0 when it already is the newest signed release on the pack's channel.
import { EXIT } from '../../core/errors.js';
import { TOOL_VERSION } from '../../core/version.js';
import type { CommandRun } from '../context.js';
import { selfUpdate } from '../self-update.js';
import { selfUpdatedLine } from '../../ui/self-update.js';

export const run: CommandRun = async (ctx, _args, opts) => {
  const r = await selfUpdate(ctx, opts, true);
  if (opts.json) ctx.stdout.write(`${JSON.stringify(r ? { updated: true, ...r } : { updated: false, version: TOOL_VERSION }, null, 2)}\n`);
  if (r === null) {
    ctx.stderr.write(`wso2update ${TOOL_VERSION} is the newest release on this pack's channel\n`);
    return EXIT.ok;
  }
  ctx.stderr.write(selfUpdatedLine(r));
  return EXIT.selfUpdated;
};
