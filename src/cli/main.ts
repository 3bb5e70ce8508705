// The command-line shell: argv -> options -> command -> exit code. Commands are imported lazily so that
// `--version` and `--help` stay instant; one catch turns every error into a rendered diagnostic and an exit code.
import { cac } from 'cac';
import { EXIT, exitCodeOf, UpdateError } from '../core/errors.js';
import { renderError, renderErrorJson } from '../ui/diagnostics.js';
import { TOOL_VERSION } from '../core/version.js';
import type { CliContext, CommandRun, RawOptions } from './context.js';
import { translateWso2Argv } from './wso2compat.js';
import { basename } from 'node:path';

type Loader = () => Promise<{ run: CommandRun }>;

function defaultContext(): CliContext {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    canPrompt: Boolean(process.stdin.isTTY),
    now: () => new Date(),
    onSignal: (handler) => {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
    exitNow: (code) => process.exit(code),
  };
}

export async function main(rawArgv: string[], ctx: CliContext = defaultContext()): Promise<number> {
  const { argv, notes } = translateWso2Argv(rawArgv, basename(rawArgv[1] ?? 'wso2update'));
  for (const note of notes) ctx.stderr.write(`Note: ${note}\n`);
  const cli = cac('wso2update');
  let selected: { load: Loader; args: string[]; opts: RawOptions } | null = null;
  const bind = (load: Loader) => (...all: unknown[]) => {
    const opts = all.pop() as RawOptions;
    const args = all.flat().filter((a): a is string => typeof a === 'string');
    selected = { load, args, opts };
  };
  const home = ['--home <dir>', 'Product home (default: parent of bin/ when run there, else the current folder)'] as const;
  const json = ['--json', 'Print machine-readable JSON on stdout'] as const;

  cli.command('init', 'Adopt a pack: record its product, level and repository')
    .option(...home).option('--repo <url|dir>', 'Repository (update channel)').option('--level <n>', 'Current level (default: updates/config.json, else 0)')
    .option('--keep-generations <n>', 'How many applies revert can undo (default 3; older generations are pruned)')
    .option(...json)
    .action(bind(() => import('./commands/init.js')));
  cli.command('publish', 'Record a product tree as a level in a repository')
    .option('--repo <dir>', 'Repository folder').option('--product <name-version>', 'e.g. wso2am-4.2.0').option('--level <n>', 'Level number')
    .option('--tree <dir>', 'The full product tree of that level').option('--notes <file.yaml>', 'Title, description, fixes, advisories')
    .option('--exclude <glob>', 'Extra paths to leave out (repeatable)').option('--date <yyyy-mm-dd>', 'Release date (default: notes, else today)')
    .option(...json)
    .action(bind(() => import('./commands/publish.js')));
  cli.command('plan', 'Compare the pack with a level and write a plan')
    .option(...home).option('--repo <url|dir>', 'Repository (default: the one recorded at init)').option('--level <n>', 'Target level (default: latest)')
    .option('--out <file>', 'Plan file (default: wso2update.plan.json in the current folder, or in updates/wso2update/ when run inside the pack)').option(...json)
    .option('--on-conflict <policy>', 'stop | keep-mine | take-theirs', { default: 'stop' })
    .option('--portable', 'Leave lineage and serial out (one plan for a fleet of identical nodes)')
    .option('--template <go-template>', 'WSO2-style output on stdout: {{.Added}} {{.Modified}} {{.Removed}} {{.Conflicts}}')
    .option('--detailed-exitcode', 'Exit 10 when the plan has changes')
    .action(bind(() => import('./commands/plan.js')));
  cli.command('show <plan>', 'Show a plan for review')
    .option(...json).option('--markdown', 'A change ticket in Markdown').option('--reveal-secrets', 'Do not mask secret values')
    .action(bind(() => import('./commands/show.js')));
  cli.command('apply [plan]', 'Apply a plan (without one: plan, confirm, apply)')
    .option(...home).option('--yes', 'Do not ask for confirmation').option('--continue', 'Install .final files of resolved conflicts and finish')
    .option('--expect-digest <sha256>', 'Refuse a plan with another digest').option('--no-changelog', 'Do not write updates/changelog-<from>-<to>.md')
    .option('--repo <url|dir>', 'Repository (when planning; with a PLAN: a mirror of the same content)').option('--level <n>', 'Target level (when planning)')
    .option('--on-conflict <policy>', 'stop | keep-mine | take-theirs (when planning)').option(...json)
    .option('--template <go-template>', 'WSO2-style output on stdout: {{.Added}} {{.Modified}} {{.Removed}} {{.Conflicts}}')
    .option('--health-cmd <cmd>', 'After the commit, run CMD in the product home; if it fails, revert and exit 8')
    .option('--health-timeout <seconds>', 'How long the health check may take (default 300)')
    .action(bind(() => import('./commands/apply.js')));
  cli.command('revert', 'Undo the last apply (or several, with --to-level)')
    .option(...home).option('--to-level <n>', 'Revert through kept generations down to this level').option('--yes', 'Do not ask')
    .option('--force', 'Revert even where updated files were edited since (the edits are kept in a new generation)').option(...json)
    .action(bind(() => import('./commands/revert.js')));
  cli.command('recover', 'Finish or roll back an interrupted apply').option(...home).option(...json)
    .action(bind(() => import('./commands/recover.js')));
  cli.command('status', 'Level, lineage, generations and pending work').option(...home).option('--verify', 'Hash the whole pack against its manifest').option(...json)
    .action(bind(() => import('./commands/status.js')));
  cli.command('check', 'Exit 10 when newer levels exist').option(...home).option('--repo <url|dir>', 'Repository').option(...json)
    .action(bind(() => import('./commands/check.js')));
  cli.command('version', 'Print the tool version').action(bind(async () => ({
    run: async (c) => { c.stdout.write(`wso2update ${TOOL_VERSION}\n`); return EXIT.ok; },
  })));

  cli.help();
  cli.version(TOOL_VERSION);
  try {
    cli.parse(argv, { run: false });
    if (cli.options.help || cli.options.version) return EXIT.ok;
    if (!cli.matchedCommand) {
      if (cli.args.length > 0) throw new UpdateError('usage', `unknown command "${cli.args[0]}"`, { hint: 'Run `wso2update --help` for the list of commands.' });
      cli.outputHelp();
      return EXIT.ok;
    }
    await cli.runMatchedCommand(); // runs bind(): records which command and its options
    const { load, args, opts } = selected as unknown as { load: Loader; args: string[]; opts: RawOptions };
    const mod = await load();
    return await mod.run(ctx, args, opts);
  } catch (thrown) {
    // cac's own errors (an unknown option, a missing value) are usage errors, not bugs in wso2update.
    const err = (thrown as Error)?.name === 'CACError'
      ? new UpdateError('usage', (thrown as Error).message, { hint: 'Run `wso2update <command> --help` for its options.' })
      : thrown;
    ctx.stderr.write(renderError(err, { verbose: Boolean(ctx.env.WSO2UPDATE_DEBUG) }));
    // Scripts that asked for --json (Ansible's rollout) read the refusal too: its code and the paths it names.
    if ((selected as { opts: RawOptions } | null)?.opts.json === true) ctx.stdout.write(renderErrorJson(err));
    return exitCodeOf(err);
  }
}
