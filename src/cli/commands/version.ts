// `version`: the tool's version on stdout (also `--version`).
import { EXIT } from '../../core/errors.js';
import { TOOL_VERSION } from '../../core/version.js';
import { versionLine } from '../../ui/help.js';
import type { CommandRun } from '../context.js';

export const run: CommandRun = async (ctx) => {
  ctx.stdout.write(versionLine(TOOL_VERSION));
  return EXIT.ok;
};
