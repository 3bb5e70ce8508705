// What the shell says about its own usage: help (the overview or one command's), and the refusals of a mistyped
// command or flag, each with the nearest known words ("did you mean").
import { closest } from '../core/closest.js';
import { UpdateError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { renderCommandHelp, renderOverview } from '../ui/help.js';
import type { CliContext } from './context.js';
import { COMMANDS, flagsOf, GLOBAL_OPTIONS, type CommandSpec } from './spec.js';

const didYouMean = (word: string, candidates: string[]): string => {
  const near = closest(word, candidates);
  return near.length ? ` Did you mean ${near.map((n) => `\`${n}\``).join(' or ')}?` : '';
};

export function writeHelp(ctx: CliContext, spec: CommandSpec | undefined): void {
  ctx.stdout.write(spec ? renderCommandHelp(ctx.prog, spec, GLOBAL_OPTIONS) : renderOverview(ctx.prog, TOOL_VERSION, COMMANDS, GLOBAL_OPTIONS));
}

export const unknownCommand = (word: string, prog: string): UpdateError =>
  new UpdateError('usage', `unknown command "${word}".${didYouMean(word, COMMANDS.map((c) => c.name))}`, { hint: `Run \`${prog} help\` for the list of commands.` });

/** A long flag that no command knows, met before the command is known (WSO2's no-command invocations: `--levle 2`). */
export const unknownFlag = (flag: string, known: string[]): UpdateError =>
  new UpdateError('usage', `Unknown option \`${flag}\`.${didYouMean(flag, known)}`, { hint: 'Run `wso2update help` for the commands, and `wso2update <command> --help` for their options; nothing was changed.' });

export const unknownOption = (flag: string, spec: CommandSpec, prog: string): UpdateError =>
  new UpdateError('usage', `Unknown option \`${flag}\` for \`${spec.name}\`.${didYouMean(flag, flagsOf(spec))}`, {
    hint: `Run \`${prog} ${spec.name} --help\` for its options.`,
  });
