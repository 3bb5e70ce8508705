// Runs `apply --health-cmd` after a commit: `/bin/sh -c CMD` in the product home, in a process group of its own so
// that a timeout (or an interrupt) can end the whole group: a start script's server and its probe, not just the
// shell. On Windows (no /bin/sh, no process groups) it is `cmd.exe /d /s /c "CMD"`, as Node's own `shell: true`
// runs it, and the tree is ended by `taskkill /T /F`. A check that passes may leave a server it started running
// (that is its point); one that fails has what is left of its group stopped, since the update is about to be
// reverted under it. Only the last lines are kept.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { HealthResult } from '../core/health.js';
import { HOST_PLATFORM, isWindows, type Platform } from './platform.js';

export type { HealthResult };

export interface HealthOptions {
  cwd: string;
  timeoutMs: number;
  /** The check's environment (undefined: this process's). */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  tailLines?: number;
  /** After SIGTERM to the group, how long before SIGKILL. */
  graceMs?: number;
  /** Sends a signal to a process (group, as -pid): the process object is cli's (cli passes process.kill). */
  kill: (pid: number, signal: NodeJS.Signals | 0) => void;
  /** Whose shell and process model to use (tests pass another); the host's by default. */
  platform?: Platform;
}

/** How the check is started and its processes ended on one platform. */
export interface HealthShell {
  file: string;
  args: string[];
  /** Windows: the command line is passed as written (cmd.exe does its own parsing of what follows /c). */
  verbatim: boolean;
  /** A process group of its own (POSIX); on Windows a detached child would get a console window of its own. */
  detached: boolean;
}

export function healthShell(cmd: string, platform: Platform = HOST_PLATFORM): HealthShell {
  if (isWindows(platform)) return { file: 'cmd.exe', args: ['/d', '/s', '/c', `"${cmd}"`], verbatim: true, detached: false };
  return { file: '/bin/sh', args: ['-c', cmd], verbatim: false, detached: true };
}

const taskkill = (args: string[]): Promise<boolean> => new Promise((resolve) => {
  const k = spawn('taskkill', args, { stdio: 'ignore', windowsHide: true });
  k.on('error', () => resolve(false));
  k.on('exit', (code) => resolve(code === 0));
});

/**
 * Windows has no process groups: taskkill ends the shell and every process it started (/T), at once (/F). Where /T
 * is refused (Wine's taskkill knows no /T) the shell alone is ended, so the check still stops at its timeout.
 */
async function endTree(pid: number): Promise<void> {
  if (!(await taskkill(['/pid', String(pid), '/T', '/F']))) await taskkill(['/pid', String(pid), '/F']);
}

type Kill = HealthOptions['kill'];

export type HealthRunner = (cmd: string, opts: HealthOptions) => Promise<HealthResult>;

const MAX_LINE = 500;

/** The last `n` lines of a stream of chunks; a very long line is cut so the log stays readable. */
function lineTail(n: number) {
  const lines: string[] = [];
  let partial = '';
  const push = (l: string) => {
    lines.push(l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}...` : l);
    if (lines.length > n) lines.shift();
  };
  return {
    add(chunk: string) {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      if (partial.length > MAX_LINE * 4) partial = partial.slice(-MAX_LINE * 4);
      for (const p of parts) push(p);
    },
    lines: () => (partial ? [...lines, partial].slice(-n) : [...lines]),
  };
}

const groupAlive = (kill: Kill, pid: number): boolean => {
  try {
    kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};

const signalGroup = (kill: Kill, pid: number, sig: NodeJS.Signals): void => {
  try {
    kill(-pid, sig);
  } catch {
    // ESRCH: the group is already gone.
  }
};

/** SIGTERM to the whole group, then SIGKILL to whatever is still there after `graceMs`. */
async function endGroup(kill: Kill, pid: number, graceMs: number): Promise<void> {
  if (!groupAlive(kill, pid)) return;
  signalGroup(kill, pid, 'SIGTERM');
  const until = performance.now() + graceMs;
  while (groupAlive(kill, pid) && performance.now() < until) await new Promise((r) => setTimeout(r, 25));
  if (groupAlive(kill, pid)) signalGroup(kill, pid, 'SIGKILL');
}

export const runHealthCheck: HealthRunner = (cmd, opts) => {
  const started = performance.now();
  const tail = lineTail(opts.tailLines ?? 20);
  const graceMs = opts.graceMs ?? 2000;
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const windows = isWindows(opts.platform);
    const sh = healthShell(cmd, opts.platform);
    const child = spawn(sh.file, sh.args, { cwd: opts.cwd, env: opts.env, detached: sh.detached, windowsVerbatimArguments: sh.verbatim, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const end = (pid: number) => (windows ? endTree(pid) : endGroup(opts.kill, pid, graceMs));
    const finish = (r: Omit<HealthResult, 'seconds' | 'tail' | 'timedOut' | 'aborted'>) => {
      if (settled) return; // a spawn error may be followed by 'exit'
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      const failed = !r.ok || timedOut || aborted;
      const done = () => {
        // A server the check started may hold our pipes open: stop reading rather than wait for them to close.
        child.stdout?.destroy();
        child.stderr?.destroy();
        child.unref();
        resolve({ ...r, ok: r.ok && !timedOut && !aborted, timedOut, aborted, seconds: (performance.now() - started) / 1000, tail: tail.lines() });
      };
      if (failed && child.pid !== undefined) void end(child.pid).then(done);
      else setTimeout(done, 50); // let the last buffered output arrive
    };
    const stopGroup = () => {
      if (child.pid !== undefined) void end(child.pid);
    };
    const timer = setTimeout(() => { timedOut = true; stopGroup(); }, opts.timeoutMs);
    const onAbort = () => { aborted = true; stopGroup(); };
    opts.signal?.addEventListener('abort', onAbort);
    child.stdout.setEncoding('utf8').on('data', (d: string) => tail.add(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => tail.add(d));
    child.on('error', (err) => {
      tail.add(`${err.message}\n`);
      finish({ ok: false, exitCode: null, signal: null });
    });
    child.on('exit', (code, signal) => finish({ ok: code === 0, exitCode: code, signal }));
  });
};
