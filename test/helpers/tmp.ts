// Shared test helpers: temporary folders that are removed when the test process exits, and the CLI run as a
// real child process (`node bin/wso2update.js`, i.e. the compiled dist/), so tests see real exit codes and streams.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout root (where bin/ and dist/ live). */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const BIN = join(ROOT, 'bin', 'wso2update.js');

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
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', ...extra };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return env;
}

/** Runs `node bin/wso2update.js ...args` and resolves when it exits. Never rejects on a non-zero exit. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
  return collect(spawn(process.execPath, [BIN, ...args], { cwd: opts.cwd ?? ROOT, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] }), opts.input);
}

/** Runs a command line through /bin/sh, as a user pasting it into a terminal would (CI set, no input). */
export function runShell(commandLine: string, opts: RunOptions = {}): Promise<RunResult> {
  return collect(spawn('/bin/sh', ['-c', commandLine], { cwd: opts.cwd ?? ROOT, env: childEnv(opts.env), stdio: ['pipe', 'pipe', 'pipe'] }), opts.input);
}
