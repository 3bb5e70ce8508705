// Questions on the terminal: the [y/N] confirmation and the password (never echoed). Only cli/ reads stdin, and
// only here. readline is imported statically: the single executable cannot `import()` a module at run time (issue
// 17: every prompt there ended in "A dynamic import callback was not specified").
import { createInterface } from 'node:readline/promises';
import { Writable } from 'node:stream';
import { UpdateError } from '../core/errors.js';
import type { CliContext, RawOptions } from './context.js';

/**
 * Asks `question` and resolves with the line typed, or null when the input ended first (Ctrl-D, a closed pipe).
 * Ctrl-C at the question is an interrupt before anything changed: exit 130, as the shell would report it.
 */
export async function askLine(ctx: CliContext, question: string, hidden: boolean): Promise<string | null> {
  let muted = false;
  // readline echoes what is typed through `output`: muted while the hidden answer is typed.
  const output = new Writable({ write(chunk, _enc, done) { if (!muted) ctx.stderr.write(chunk); done(); } });
  const rl = createInterface({ input: ctx.stdin, output, terminal: Boolean(ctx.canPrompt) });
  try {
    return await new Promise<string | null>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void) => { if (!settled) { settled = true; f(); } };
      // In raw mode the terminal sends Ctrl-C to readline as a key, not as a signal to the process.
      rl.on('SIGINT', () => settle(() => reject(new UpdateError('interrupted', 'interrupted at the question: nothing was changed', { hint: 'Run the command again when ready.' }))));
      rl.on('close', () => settle(() => resolve(null)));
      rl.question(question).then((a) => settle(() => resolve(a)), () => settle(() => resolve(null)));
      muted = hidden;
    });
  } finally {
    muted = false;
    ctx.stderr.write(hidden ? '\n' : '');
    rl.close();
  }
}

/** A hidden or plain answer that must be given (a user name, a password): the input ending is a refusal. */
export async function ask(ctx: CliContext, question: string, hidden: boolean): Promise<string> {
  const answer = await askLine(ctx, question, hidden);
  if (answer === null) throw new UpdateError('usage', `no answer to "${question.trim()}": the input ended`, { hint: 'Type the answer at the terminal, or pass it as an option.' });
  return answer;
}

/** `[y/N]`: only y or yes agrees; an empty answer, any other word, or the input ending declines. */
export async function askYesNo(ctx: CliContext, question: string): Promise<boolean> {
  const answer = await askLine(ctx, `${question} [y/N] `, false);
  if (answer === null) ctx.stderr.write('\n'); // Ctrl-D leaves the cursor after the question
  return answer !== null && /^y(es)?$/i.test(answer.trim());
}

/** The [y/N] before a change: `--yes` answers it; without a terminal to ask on, it is a usage error, never a yes. */
export async function confirm(ctx: CliContext, opts: RawOptions, question: string): Promise<boolean> {
  if (opts.yes) return true;
  if (!ctx.canPrompt) {
    throw new UpdateError('usage', 'confirmation needed, but there is no terminal to ask on', { hint: 'Review first, then pass --yes.' });
  }
  return askYesNo(ctx, question);
}
