// A real terminal for tests (util-linux `script` on a pseudo-terminal): what only a terminal shows (the [y/N]
// question, the hidden password, listr2's task list) and what only a terminal does. Keys are typed into the
// terminal's master side, so the kernel's line discipline treats them as a keyboard would: Ctrl-C (0x03) becomes
// SIGINT to the foreground process group, or a key for a program that put the terminal in raw mode (readline at a
// question); Ctrl-D (0x04) ends the input. The command is `exec`ed, so it is that foreground process itself (no shell
// in between to die of the signal first). CI is unset, so progress draws; the terminal is 160x50.
import { spawn } from 'node:child_process';

const CLEAN = (s: string): string => s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\x1b[()][A-Z0-9]/g, '').replace(/\r/g, '');

export interface PtyResult {
  /** The exit code (`script -e`: 128 + n when the command died of signal n, as a shell reports it). */
  code: number | null;
  /** What the terminal showed (stdout and stderr together), escape sequences and carriage returns removed. */
  output: string;
}

export interface PtySession {
  /** What the terminal has shown so far. */
  output(): string;
  /** Resolves once `re` matches what the terminal showed after `since` characters (default: all of it). */
  waitFor(re: RegExp, opts?: { since?: number; timeoutMs?: number }): Promise<void>;
  /** Types `text` as keys (a newline is Enter). */
  type(text: string): void;
  ctrlC(): void;
  ctrlD(): void;
  /** Resolves when the command has exited; the terminal stays open until then (stdin is never closed early). */
  done: Promise<PtyResult>;
}

export function startPty(commandLine: string, opts: { cwd: string; env?: Record<string, string> }): PtySession {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TERM: 'xterm', ...opts.env };
  delete env.CI;
  // A terminal of a fixed size: with none, `script`'s terminal is 0 columns wide and listr2 wraps every letter.
  const child = spawn('script', ['-qec', `stty cols 160 rows 50; exec ${commandLine}`, '/dev/null'], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let raw = '';
  const waiters = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    raw += d;
    for (const w of [...waiters]) w();
  });
  child.stderr.setEncoding('utf8').on('data', (d: string) => (raw += d));
  child.stdin.on('error', () => { /* the command may exit before reading what was typed */ });
  const done = new Promise<PtyResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const w of [...waiters]) w();
      resolve({ code, output: CLEAN(raw) });
    });
  });
  const output = () => CLEAN(raw);
  return {
    output,
    waitFor: (re, { since = 0, timeoutMs = 60_000 } = {}) => new Promise<void>((resolve, reject) => {
      const check = () => {
        if (re.test(output().slice(since))) {
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`the command exited before ${re} appeared; the terminal showed:\n${output()}`));
        }
      };
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`${re} did not appear in ${timeoutMs} ms; the terminal showed:\n${output()}`)); }, timeoutMs);
      waiters.add(check);
      check();
    }),
    type: (text) => { child.stdin.write(text); },
    ctrlC: () => { child.stdin.write('\x03'); },
    ctrlD: () => { child.stdin.write('\x04'); },
    done,
  };
}

/**
 * Runs a command line to its end on a terminal. `answers` are typed one by one, each once its question has appeared,
 * as a person would (typed earlier, the terminal would echo them before the program could turn echo off); `input`
 * is typed at once.
 */
export async function runInPty(commandLine: string, opts: { cwd: string; input?: string; answers?: Array<[RegExp, string]>; env?: Record<string, string> }): Promise<PtyResult & { stdout: string }> {
  const t = startPty(commandLine, opts);
  if (opts.input) t.type(opts.input);
  let since = 0;
  for (const [question, answer] of opts.answers ?? []) {
    try {
      await t.waitFor(question, { since });
    } catch {
      break; // the command ended (or never asked): its output tells the test why
    }
    since = t.output().length;
    t.type(answer);
  }
  const r = await t.done;
  return { ...r, stdout: r.output };
}
