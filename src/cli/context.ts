// What a command may use of the outside world, handed in by main(): tests and the applier never reach for
// `process` themselves (STYLE.md: only cli/ touches process).
import type { Writable, Readable } from 'node:stream';
import type { LockOwner } from '../io/lock.js';
import { openPack, type Pack } from '../io/pack.js';
import { resolveHome } from '../io/state.js';
import type { Shell } from '../ui/hints.js';

export interface CliContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The name the tool was run by, as hints print it (cli/invocation.ts). */
  prog: string;
  /** The shell hints are written for (ui/hints.ts): cmd.exe/PowerShell on Windows, else a POSIX shell. */
  shell?: Shell;
  stdout: Writable;
  stderr: Writable;
  stdin: Readable;
  /** stderr is a terminal and CI is not set: progress may draw. */
  interactive: boolean;
  /** stdin is a terminal: questions may be asked. */
  canPrompt: boolean;
  now: () => Date;
  /** Registers a handler for SIGINT/SIGTERM; returns the function that removes it. */
  onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void;
  /** This process as the owner of a pack's lock, and the probe that tells whether another owner still runs. */
  owner: LockOwner;
  /** The first SIGINT or SIGTERM that reached an onSignal handler in this run, or null: an interrupt's exit code. */
  signalled: () => NodeJS.Signals | null;
  /** Exits at once (the second interrupt). */
  exitNow: (code: number) => never;
  /**
   * From now until the process exits, SIGINT, SIGTERM (and SIGHUP where there is one) end nothing and are not noted:
   * the run's outcome is decided and what is left (its log line, report, audit record, code cache) only tells it.
   */
  holdSignals: () => void;
}

/** Options as cac hands them over: strings, numbers, booleans or arrays, keyed by camelCase flag name. */
export type RawOptions = Record<string, unknown>;

export type CommandRun = (ctx: CliContext, args: string[], opts: RawOptions) => Promise<number>;

/** The command's pack: --home (or the pack run from, io/state.ts resolveHome) as the one handle passed down. */
export const packOf = (ctx: Pick<CliContext, 'cwd'>, opts: RawOptions): Pack => openPack(resolveHome(ctx.cwd, opts.home));
