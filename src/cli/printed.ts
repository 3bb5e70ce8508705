// Writes what ui/ rendered for a command: people's text on stderr, data on stdout (STYLE.md: one output path).
// (Issue 21 brings the same as cli/print.ts; the commands of issue 23 move to it when it lands.)
import type { Printed } from '../ui/audit.js';
import type { CliContext } from './context.js';

export function print(ctx: Pick<CliContext, 'stdout' | 'stderr'>, out: Printed): void {
  if (out.stderr !== '') ctx.stderr.write(out.stderr);
  if (out.stdout !== '') ctx.stdout.write(out.stdout);
}
