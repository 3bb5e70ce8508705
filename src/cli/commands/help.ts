// `help [command]`: WSO2's `help`, and the overview or one command's help, the same text as `--help`.
import { EXIT } from '../../core/errors.js';
import type { CommandRun } from '../context.js';
import { unknownCommand, writeHelp } from '../usage.js';
import { COMMANDS } from '../spec.js';

export const run: CommandRun = async (ctx, args) => {
  const name = args[0] === 'current-state' ? 'status' : args[0];
  const spec = COMMANDS.find((c) => c.name === name);
  if (name !== undefined && !spec) throw unknownCommand(name, ctx.prog);
  writeHelp(ctx, spec);
  return EXIT.ok;
};
