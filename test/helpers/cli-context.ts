// A CliContext for running one command's `run` in this process, as main() would hand it over: real streams that keep
// what was written, this process as the lock owner, no terminal, a fixed clock. For the unit tests of
// src/cli/commands/*; the end-to-end tests run the real executable instead (test/cli/<command>/).
import { PassThrough } from 'node:stream';
import type { CliContext } from '../../src/cli/context.js';
import { processOwner } from '../../src/cli/owner.js';
import { sink } from './sink.js';

export type TestContext = CliContext & { out(): string; err(): string };

export function cliContext(cwd: string, over: Partial<CliContext> = {}): TestContext {
  const stdout = sink();
  const stderr = sink();
  const ctx: CliContext = {
    cwd, env: {}, prog: 'wso2update', shell: 'posix', stdout, stderr, stdin: new PassThrough(), interactive: false, canPrompt: false,
    now: () => new Date('2026-12-07T12:00:00Z'), onSignal: () => () => undefined, owner: processOwner(), signalled: () => null,
    exitNow: (code) => { throw new Error(`exitNow(${code}) in a test`); }, holdSignals: () => undefined,
    ...over,
  };
  return Object.assign(ctx, { out: () => stdout.text(), err: () => stderr.text() });
}
