// `--help` and `help [command]`: rendered here from the shell's command table (cli/spec.ts) rather than by cac, so
// that every command shows the same four things a new user needs: what it does in one line, its options with their
// meaning, one example to copy, and the exit codes a script can branch on.

/** `version` and `--version`: the one line scripts read the tool's version from. */
export const versionLine = (version: string): string => `wso2update ${version}\n`;

export interface OptionHelp {
  /** As cac takes it: `--home <dir>`, `--yes`, `-l, --level <n>`. */
  flags: string;
  meaning: string;
  default?: string;
}

export interface CommandHelp {
  name: string;
  /** Positional arguments as shown in the usage line: `<plan>`, `[plan]`, `[command]`. */
  args?: string;
  summary: string;
  options: OptionHelp[];
  example: string;
  exits: [number, string][];
}

const table = (rows: [string, string][], indent = '  '): string[] => {
  const width = Math.max(...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(width)}  ${b}`.trimEnd());
};

/** The help of one command; `prog` is the name it was invoked by (`wso2update`, `./wso2update_linux`). */
export function renderCommandHelp(prog: string, c: CommandHelp, global: OptionHelp[]): string {
  const options = [...c.options, ...global].map((o): [string, string] => [o.flags, o.default === undefined ? o.meaning : `${o.meaning} (default: ${o.default})`]);
  return [
    `${prog} ${c.name}: ${c.summary}`,
    '',
    'Usage:',
    `  ${prog} ${c.name}${c.args ? ` ${c.args}` : ''}${c.options.length ? ' [options]' : ''}`,
    '',
    'Options:',
    ...table(options),
    '',
    'Example:',
    `  ${c.example.replace(/^wso2update\b/, prog)}`,
    '',
    'Exit codes:',
    ...table(c.exits.map(([code, meaning]) => [String(code), meaning])),
    '',
  ].join('\n');
}

/** The overview: every command in one line, the WSO2 habits, and where to look next. */
export function renderOverview(prog: string, version: string, commands: CommandHelp[], global: OptionHelp[]): string {
  return [
    `wso2update ${version}: planned, reviewable and undoable updates for installed WSO2 product packs`,
    '',
    'Usage:',
    `  ${prog} <command> [options]`,
    '',
    'Commands:',
    ...table(commands.map((c) => [`${c.name}${c.args ? ` ${c.args}` : ''}`, c.summary])),
    '',
    'Options:',
    ...table(global.map((o) => [o.flags, o.meaning])),
    '',
    'WSO2 Update Tool habits (run as wso2update_linux from <product-home>/bin, or with these flags):',
    ...table([
      ['(no command)', 'as wso2update_linux: plan, show the summary, ask, apply'],
      ['--dry-run', 'plan (changes nothing); with --revert: say what revert would undo'],
      ['--revert', 'revert'],
      ['--continue', 'apply --continue'],
      ['-l, --level N', 'the target level (4.2.0.N accepted)'],
      ['current-state', 'status'],
    ]),
    '',
    `Run \`${prog} help <command>\` (or \`${prog} <command> --help\`) for its options, an example and its exit codes.`,
    '',
  ].join('\n');
}
