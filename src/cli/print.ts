// Writes what ui/ rendered for a command: people's text on stderr, data on stdout (STYLE.md: one output path).
import type { Output } from '../ui/output.js';
import type { CliContext } from './context.js';

export function print(ctx: Pick<CliContext, 'stdout' | 'stderr'>, out: Output): void {
  if (out.stderr !== '') ctx.stderr.write(out.stderr);
  if (out.stdout !== '') ctx.stdout.write(out.stdout);
}
