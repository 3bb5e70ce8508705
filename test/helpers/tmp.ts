// Shared test helpers: temporary folders that are removed when the test process exits, and the CLI run as a
// real child process, so tests see real exit codes and streams. The CLI under test is the checkout
// (`node bin/wso2update.js`, i.e. the compiled dist/), or the single executable named by WSO2UPDATE_TEST_EXE (the
// product operators run: `npm test` runs every CLI test file against both). Tests run the CLI only through
// runCli / spawnCli / CLI_LINE, so that this one variable decides which form every one of them drives.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { chmodSync, copyFileSync, linkSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout root (where bin/ and dist/ live). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'wso2update.js');

/** The single executable under test (scripts/run-tests.mjs sets it for its second pass), or null: the checkout. */
export const TEST_EXE: string | null = process.env.WSO2UPDATE_TEST_EXE || null;
/** The CLI under test as a shell would type it (BIN runs through its `#!/usr/bin/env node` line). */
export const CLI_LINE = TEST_EXE ?? BIN;
/** How the CLI under test names itself in the commands its hints print (cli/invocation.ts), as a regex source. */
export const PROG = TEST_EXE ? TEST_EXE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') : 'node \\S+wso2update\\.js';
/** The program and arguments that run the CLI under test with `args`. */
export const cliArgv = (args: string[]): [string, string[]] => (TEST_EXE ? [TEST_EXE, args] : [process.execPath, [BIN, ...args]]);
/**
 * The environment the CLI under test runs with: `env` as given (the caller's base, usually process.env), and in the
 * executable pass self-update off, so that each test's requests to its channel stay as counted (the self-update
 * tests in test/release run the executable themselves, with it on).
 */
export const cliEnv = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => (TEST_EXE ? { WSO2UPDATE_NO_SELF_UPDATE: '1', ...env } : env);
/**
 * Installs the CLI under test at `path` (as operators do: `<pack>/bin/wso2update_linux`) to be run as that file:
 * the executable hard-linked (copied across filesystems), or for the checkout a script that loads bin/wso2update.js.
 */
export function installCli(path: string): void {
  if (TEST_EXE) {
    try {
      linkSync(TEST_EXE, path);
    } catch {
      copyFileSync(TEST_EXE, path);
    }
  } else {
    writeFileSync(path, `#!/usr/bin/env node\nimport(${JSON.stringify(BIN)});\n`);
  }
  chmodSync(path, 0o755);
}
/** spawn() of the CLI under test; the caller's env (default process.env) goes through cliEnv. */
export function spawnCli(args: string[], opts: SpawnOptions = {}): ChildProcess {
  const [file, argv] = cliArgv(args);
  return spawn(file, argv, { ...opts, env: cliEnv(opts.env ?? process.env) });
}

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) {
    try { rmSync(dir, { recursive: true, force: true }); } catch { /* best effort at exit */ }
  }
});

/** A fresh folder under the OS temp dir; removed when the process exits (set KEEP_TMP=1 to keep it for debugging). */
export function tmpDir(prefix = 'wso2update-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix.endsWith('-') ? prefix : `${prefix}-`));
  if (!process.env.KEEP_TMP) created.push(dir);
  return dir;
}

export interface RunOptions {
  cwd?: string;
  /** Added to (and overriding) the parent environment; a value of undefined removes the variable. */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed (stdin is always closed: the child never waits for input). */
  input?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Collects a child's output as text and resolves when it exits; its stdin gets `input`, then is closed (null: left to the caller). */
export function collect(child: ChildProcess, input: string | null = ''): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin?.on('error', () => { /* the child may exit before reading its input */ });
    if (input !== null) child.stdin?.end(input);
  });
}

function childEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: Record<string, string | undefined> = { ...cliEnv(process.env), NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...extra };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

/** Runs the CLI under test with `args` and resolves when it exits. Never rejects on a non-zero exit. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  const [file, argv] = cliArgv(args);
  return collect(spawn(file, argv, { cwd: opts.cwd ?? ROOT, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] }), opts.input);
}

/** Runs a command line through /bin/sh, as a user pasting it into a terminal would (CI set, no input). */
export function runShell(commandLine: string, opts: RunOptions = {}): Promise<RunResult> {
  return collect(spawn('/bin/sh', ['-c', commandLine], { cwd: opts.cwd ?? ROOT, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] }), opts.input);
}
