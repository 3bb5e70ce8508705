// A question on the terminal, the answer optionally hidden (a password is never echoed). Only cli/ reads stdin.
import { Writable } from 'node:stream';
import type { CliContext } from './context.js';

export async function ask(ctx: CliContext, question: string, hidden: boolean): Promise<string> {
  const { createInterface } = await import('node:readline/promises');
  let muted = false;
  // readline echoes what is typed through `output`: muted while the hidden answer is typed.
  const output = new Writable({ write(chunk, _enc, done) { if (!muted) ctx.stderr.write(chunk); done(); } });
  const rl = createInterface({ input: ctx.stdin, output, terminal: true });
  try {
    const answer = rl.question(question);
    muted = hidden;
    return await answer;
  } finally {
    muted = false;
    if (hidden) ctx.stderr.write('\n');
    rl.close();
  }
}
