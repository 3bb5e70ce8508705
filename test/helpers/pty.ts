// Runs a command line on a real pseudo-terminal (util-linux `script`), for what only a terminal shows: the
// confirmation questions and listr2's task list. `input` is typed into the terminal; CI is unset so progress draws.
import { spawn } from 'node:child_process';
import { collect, type RunResult } from './tmp.js';

/**
 * `output` is what the terminal showed (stdout and stderr together, with escape sequences removed). `answers` are
 * typed one by one, each once its question has appeared, as a person would (typed earlier, the terminal would echo
 * them before the program could turn echo off).
 */
export async function runInPty(commandLine: string, opts: { cwd: string; input?: string; answers?: Array<[RegExp, string]>; env?: Record<string, string> }): Promise<RunResult & { output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', TERM: 'xterm', ...opts.env };
  delete env.CI;
  // A terminal of a fixed size: with none, `script`'s terminal is 0 columns wide and listr2 wraps every letter.
  const child = spawn('script', ['-qec', `stty cols 160 rows 50; ${commandLine}`, '/dev/null'], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const answers = [...(opts.answers ?? [])];
  if (answers.length > 0) {
    let seen = '';
    child.stdout?.on('data', (d: Buffer) => {
      seen += d.toString('utf8');
      if (answers.length > 0 && answers[0][0].test(seen)) {
        seen = '';
        child.stdin?.write(answers.shift()![1]);
        if (answers.length === 0) child.stdin?.end();
      }
    });
  }
  return collect(child, answers.length > 0 ? null : opts.input).then((r) => ({ ...r, output: r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '') }));
}
