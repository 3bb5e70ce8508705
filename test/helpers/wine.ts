// The Windows single executable under Wine (issue 18): a fresh prefix set to Windows 10 (Node refuses Windows 7),
// made without a display and without the Mono/Gecko downloads; runs whose output goes to files, because output
// piped between processes fails under Wine; paths as Windows sees them (Z:\ is the Unix root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './tmp.js';

export const WINE_HINT = 'wine not found: apt-get install -y --no-install-recommends wine wine64 (Debian; .ci/run does it)';

export const hasWine = (): boolean => spawnSync('wine', ['--version'], { stdio: 'ignore' }).status === 0;

/** A Unix path as the Windows program sees it. */
export const winPath = (p: string): string => `Z:${p.replace(/\//g, '\\')}`;

export interface Wine {
  env: Record<string, string>;
  /** Runs a Windows program (an .exe path, or a builtin such as cmd) and waits; stdout and stderr go through files. */
  run(exe: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<RunResult>;
  /** Starts a Windows program and returns at once (its output is discarded). */
  start(exe: string, args: string[], cwd: string): ChildProcess;
  /** Ends every process of the prefix (wineserver -k) and waits for the server to go. */
  stop(): void;
}

/** A new prefix under `dir`, reported as Windows 10; about 10 s. */
export function freshWine(dir: string): Wine {
  const prefix = join(dir, 'prefix');
  mkdirSync(dir, { recursive: true });
  const env: Record<string, string> = {
    PATH: '/usr/local/bin:/usr/bin:/bin', HOME: dir, WINEPREFIX: prefix, WINEDEBUG: '-all', CI: '1', NO_COLOR: '1',
    // No Mono or Gecko: their installers would ask to download (no network here, and none is needed).
    WINEDLLOVERRIDES: 'mscoree=;mshtml=',
  };
  const sync = (args: string[]) => {
    const r = spawnSync(args[0], args.slice(1), { env, stdio: 'ignore', timeout: 120_000 });
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed (exit ${r.status ?? r.signal}) in ${prefix}`);
  };
  sync(['wineboot', '-i']);
  sync(['wine', 'winecfg', '-v', 'win10']);
  sync(['wineserver', '-w']);
  let n = 0;
  return {
    env,
    run(exe, args, opts) {
      const base = join(dir, `run-${++n}`);
      const [out, err] = [openSync(`${base}.out`, 'w'), openSync(`${base}.err`, 'w')];
      const child = spawn('wine', [exe, ...args], { cwd: opts.cwd, env: { ...env, ...opts.env }, stdio: ['ignore', out, err] });
      return new Promise((resolve, reject) => {
        child.on('error', reject);
        child.on('exit', (code, signal) => {
          closeSync(out);
          closeSync(err);
          resolve({ code, signal, stdout: readFileSync(`${base}.out`, 'utf8'), stderr: readFileSync(`${base}.err`, 'utf8') });
        });
      });
    },
    start(exe, args, cwd) {
      return spawn('wine', [exe, ...args], { cwd, env, stdio: 'ignore' });
    },
    stop() {
      spawnSync('wineserver', ['-k'], { env, stdio: 'ignore' });
      spawnSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 30_000 });
    },
  };
}
