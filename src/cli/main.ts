// The command-line shell: argv -> options -> command -> exit code. Commands (cli/spec.ts) are imported lazily so
// that `--version` and `--help` stay instant; one catch turns every error into a rendered diagnostic and an exit code.
// Help is ours (ui/help.ts), not cac's, and mistyped commands and flags get "did you mean" before cac's refusal.
import { cac, type Command } from 'cac';
import { afterSignal, EXIT, exitCodeOf, UpdateError } from '../core/errors.js';
import { TOOL_VERSION } from '../core/version.js';
import { deniedError } from '../io/denied.js';
import { ownPack, resolveHome } from '../io/state.js';
import { renderError, renderErrorJson } from '../ui/diagnostics.js';
import { versionLine } from '../ui/help.js';
import type { CliContext, RawOptions } from './context.js';
import { invokedName } from './invocation.js';
import { COMMANDS, GLOBAL_OPTIONS, type CommandSpec } from './spec.js';
import { unknownCommand, unknownOption, writeHelp } from './usage.js';
import { translateWso2Argv } from './wso2compat.js';
import { configureTransport } from './transport-options.js';
import { processOwner } from './owner.js';
import { afterRun, launcherInfo, updateFirst } from './self-update.js';
import { basename, resolve } from 'node:path';

/** How long a signal lets a reader that is still reading take the rest of the output before the process leaves. */
const EXIT_GRACE_MS = 1000;
const HELD_SIGNALS: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM'] : ['SIGINT', 'SIGTERM', 'SIGHUP'];

function defaultContext(): CliContext {
  let first: NodeJS.Signals | null = null;
  let held = false;
  const note = (signal: NodeJS.Signals) => { first ??= signal; };
  return {
    cwd: process.cwd(),
    env: process.env,
    prog: invokedName(process.argv[1], process.cwd(), process.env, process.platform),
    shell: process.platform === 'win32' ? 'windows' : 'posix',
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    interactive: Boolean(process.stderr.isTTY) && !process.env.CI,
    canPrompt: Boolean(process.stdin.isTTY),
    now: () => new Date(),
    // Only while a handler is registered does a signal not end the process at once (Node's default): outside those
    // moments nothing was changed, and the shell reports the signal itself.
    onSignal: (handler) => {
      const on = (signal: NodeJS.Signals) => { note(signal); handler(signal); };
      process.on('SIGINT', on);
      process.on('SIGTERM', on);
      return () => {
        process.off('SIGINT', on);
        process.off('SIGTERM', on);
      };
    },
    signalled: () => first,
    owner: processOwner(),
    exitNow: (code) => process.exit(code),
    holdSignals: () => {
      // Between a finished run and the exit, Node's default action for a signal (the process ends at once) would make
      // the shell report "killed" over a pack the run changed and recorded as changed. Once is enough: one listener.
      if (held) return;
      held = true;
      for (const signal of HELD_SIGNALS) process.on(signal, () => undefined);
    },
  };
}

/** cac's option keys are camelCase (`toLevl`); the user typed `--to-levl`. */
const typedFlag = (name: string): string => (name.length > 1 ? `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : `-${name}`);

/** cac refuses only the first unknown option and says nothing of what was meant: we check first, with suggestions. */
function checkOptions(cmd: Command, global: Command, spec: CommandSpec, options: RawOptions, prog: string): void {
  for (const name of Object.keys(options)) {
    if (name === '--' || cmd.hasOption(name) || global.hasOption(name)) continue;
    throw unknownOption(typedFlag(name), spec, prog);
  }
}

export async function main(rawArgv: string[], ctx: CliContext = defaultContext()): Promise<number> {
  const cli = cac(ctx.prog);
  let selected: { spec: CommandSpec; args: string[]; opts: RawOptions } | null = null;
  for (const spec of COMMANDS) {
    // Positional arguments are optional to cac: a missing one gets the command's own message, not cac's.
    const cmd = cli.command(`${spec.name}${spec.args ? ` ${spec.args.replace(/<([^>]+)>/g, '[$1]')}` : ''}`, spec.summary);
    for (const o of spec.options) cmd.option(o.flags, o.meaning);
    cmd.action((...all: unknown[]) => {
      const opts = all.pop() as RawOptions;
      selected = { spec, args: all.flat().filter((a): a is string => typeof a === 'string'), opts };
    });
  }
  for (const o of GLOBAL_OPTIONS) cli.option(o.flags, o.meaning);
  let spec: CommandSpec | undefined;
  try {
    const { argv, notes } = translateWso2Argv(rawArgv, basename(rawArgv[1] ?? 'wso2update'));
    for (const note of notes) ctx.stderr.write(`Note: ${note}\n`);
    byParser(() => cli.parse(releaseVersionSpelling(argv), { run: false }), ctx.prog, undefined);
    spec = COMMANDS.find((c) => c.name === cli.matchedCommandName);
    if (cli.options.help) {
      writeHelp(ctx, spec);
      return EXIT.ok;
    }
    if (cli.options.version) {
      ctx.stdout.write(versionLine(TOOL_VERSION));
      return EXIT.ok;
    }
    if (!cli.matchedCommand || !spec) {
      if (cli.args.length > 0) throw unknownCommand(cli.args[0], ctx.prog);
      writeHelp(ctx, undefined);
      return EXIT.ok;
    }
    checkOptions(cli.matchedCommand, cli.globalCommand, spec, cli.options, ctx.prog);
    byParser(() => cli.runMatchedCommand(), ctx.prog, spec); // runs the action: records which command and its options
    const { args, opts } = selected as unknown as { args: string[]; opts: RawOptions };
    const own = packOfProgram(ctx, spec, rawArgv);
    if (own !== undefined && opts.home === undefined) opts.home = own;
    const mod = await spec.load();
    configureTransport(ctx, opts);
    // Only the single executable updates itself (cli/self-update.ts); a checkout is updated by git or npm.
    const updated = launcherInfo() !== null ? await updateFirst(ctx, spec.name, opts) : null;
    if (updated !== null) return updated;
    const code = await mod.run(ctx, args, opts);
    await afterRun(code);
    return code;
  } catch (thrown) {
    const after = afterSignal(thrown, ctx.signalled());
    const err = deniedError(after) ?? after;
    ctx.stderr.write(renderError(err, { verbose: Boolean(ctx.env.WSO2UPDATE_DEBUG), invocation: { prog: ctx.prog, shell: ctx.shell, home: homeOf(ctx, spec, rawArgv, cli.options) } }));
    // Scripts that asked for --json (Ansible's rollout) read the refusal too: its code and the paths it names.
    if ((selected as { opts: RawOptions } | null)?.opts.json === true) ctx.stdout.write(renderErrorJson(err));
    return exitCodeOf(err);
  }
}

/**
 * Ends the process with `code` once stdout and stderr have flushed (a Windows pipe writes asynchronously). Not Node's
 * natural exit: that closes the signal handles first (every signal back to its default action) and then spends
 * milliseconds tearing down, so a SIGTERM landing there ended a finished apply as "killed by SIGTERM" over an updated
 * pack (test/cli/apply/interrupt.test.ts). process.exit keeps the handlers, held since the run ended, to the end.
 * `beforeExit` runs first, already under them.
 */
export async function exitProcess(code: number, beforeExit?: () => void): Promise<never> {
  // On POSIX a pipe is written asynchronously: what a reader has not taken waits here, for as long as it does not read
  // (a pager left open, a stopped pipeline stage). A signal in that wait ends the wait, not the run: the process leaves
  // with the run's own code (its outcome was decided; only its telling waits), never as "killed", never unstoppable
  // (the held signals' listeners do nothing, so without this only SIGKILL ended such a wait). A reader that is only
  // slow still gets the rest for a moment (a service manager's stop, a Ctrl-C as the run ends); a second signal, or
  // that moment gone, leaves at once.
  let asked = false;
  const leave = () => {
    if (asked) process.exit(code);
    asked = true;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS);
  };
  for (const signal of HELD_SIGNALS) process.on(signal, leave);
  // What the caller still does once the run is over (bin/: write the code cache) runs under the same listeners.
  beforeExit?.();
  const flushed = (s: NodeJS.WriteStream): Promise<void> => new Promise((r) => (s.writableLength === 0 ? r() : s.write('', () => r())));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}

/** `publish-tool --version V` (the WSO2-like spelling) means --release-version: cac reads --version as its own flag. */
export function releaseVersionSpelling(argv: string[]): string[] {
  if (argv[2] !== 'publish-tool') return argv;
  return argv.map((a) => (a === '--version' ? '--release-version' : a.startsWith('--version=') ? `--release-version=${a.slice(10)}` : a));
}

/**
 * Runs one of cac's two parsing calls: whatever they throw is cac's refusal of the command line (a missing value, a
 * missing argument), a usage error. Told apart by where it came from, never by its class name, which minification
 * changes in the single executable (issue 17: `-l` without a value was "This is a bug" there).
 */
function byParser(parse: () => unknown, prog: string, spec: CommandSpec | undefined): void {
  try {
    parse();
  } catch (err) {
    throw cacUsage(err as Error, prog, spec);
  }
}

function cacUsage(err: Error, prog: string, spec: CommandSpec | undefined): UpdateError {
  const missing = /^option `([^`]+)` value is missing$/.exec(err.message);
  const message = missing ? `${missing[1].split(' ')[0]} needs a value: ${missing[1]}` : err.message;
  return new UpdateError('usage', message, { hint: `Run \`${prog} ${spec ? `${spec.name} --help` : 'help'}\` for ${spec ? 'its options' : 'the commands'}.` });
}

/**
 * The pack whose bin/ holds the program that runs (the single executable, or a symlink to a checkout), for a command
 * that takes --home and was given none: `/opt/wso2am/bin/wso2update_linux --dry-run` run from another folder acts on
 * /opt/wso2am, as WSO2's tool does. Undefined for a checkout run as `node bin/wso2update.js`.
 */
function packOfProgram(ctx: CliContext, spec: CommandSpec | undefined, rawArgv: string[]): string | undefined {
  if (spec && !spec.options.some((o) => o.flags.startsWith('--home'))) return undefined;
  const program = launcherInfo()?.exe ?? (rawArgv[1] ? resolve(ctx.cwd, rawArgv[1]) : undefined);
  return program === undefined ? undefined : ownPack(program);
}

/**
 * The pack a failed run was about (its --home, else the default folder), so that the hints of its error carry it;
 * none for a command that is about no pack (show, publish), whose hints then name none.
 */
function homeOf(ctx: CliContext, spec: CommandSpec | undefined, rawArgv: string[], options: RawOptions): string | undefined {
  if (spec && !spec.options.some((o) => o.flags.startsWith('--home'))) return undefined;
  const i = rawArgv.indexOf('--home');
  const given = options.home ?? (i >= 0 ? rawArgv[i + 1] : rawArgv.find((a) => a.startsWith('--home='))?.slice(7)) ?? packOfProgram(ctx, spec, rawArgv);
  try {
    return resolveHome(ctx.cwd, given);
  } catch {
    return undefined;
  }
}
