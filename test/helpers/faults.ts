// Fault injection for the applier's tests: an FsOps whose Nth call fails with an errno-style error, and a count of
// the calls a clean run makes, so a sweep can fail every operation of a realistic apply in turn.
import type { FsOps } from '../../src/io/fsops.js';

export type FaultCode = 'ENOSPC' | 'EACCES' | 'EIO' | 'EXDEV' | 'EBUSY';

/** An errno-style error as Node raises them, for injected faults. */
export function errnoError(code: string, op: string, p: string): NodeJS.ErrnoException {
  const err = new Error(`${code}: injected fault, ${op} '${p}'`) as NodeJS.ErrnoException;
  err.code = code;
  err.syscall = op;
  err.path = p;
  return err;
}

/**
 * Wraps `inner` so that the `failAt`-th call (1-based, counting every method) throws `code` once; `calls` counts
 * what ran, so a sweep knows how many failure points a run has. Read-only calls count too: they can fail as well.
 */
export function withFaults(inner: FsOps, opts: { failAt?: number; code?: FaultCode } = {}): FsOps & { calls: () => number; log: string[] } {
  let n = 0;
  const log: string[] = [];
  const wrapped = {} as Record<string, unknown>;
  for (const name of Object.keys(inner) as (keyof FsOps)[]) {
    wrapped[name] = async (...args: unknown[]) => {
      n += 1;
      const target = typeof args[0] === 'string' ? args[0] : String(args[1] ?? '');
      log.push(`${name} ${target}`);
      if (n === opts.failAt) throw errnoError(opts.code ?? 'EIO', name, target);
      return (inner[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    };
  }
  return Object.assign(wrapped as unknown as FsOps, { calls: () => n, log });
}
