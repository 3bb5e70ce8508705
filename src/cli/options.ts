// Normalises command-line values at the boundary: cac/mri turn numeric-looking strings into numbers (`--level 1.10`
// arrives as 1.1), so every value is checked here and a bad one is a usage error that names the flag.
import { resolve } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { ConflictPolicy } from '../core/model.js';

/** `flag` with or without its dashes (`level`, `--to-level`): the message always shows it once, as typed. */
const usage = (flag: string, what: string, got: unknown, hint = 'Run with --help for the accepted values.'): UpdateError =>
  new UpdateError('usage', `--${flag.replace(/^-+/, '')} must be ${what}, got ${JSON.stringify(got)}`, { hint });

export function optString(opts: Record<string, unknown>, key: string, flag = key): string | undefined {
  const v = opts[key];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) throw usage(flag, 'given once', v);
  if (typeof v === 'boolean') throw usage(flag, 'followed by a value', v);
  return String(v);
}

export function optStrings(opts: Record<string, unknown>, key: string): string[] {
  const v = opts[key];
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/**
 * A level: a whole number (`45`), or WSO2's `<version>.<level>` (`4.2.0.45`), whose version must then be the
 * product's. A fraction such as 1.1 is refused: it usually is "1.10" mangled by the parser.
 */
export function optLevel(opts: Record<string, unknown>, key: string, flag: string, product?: string): number | undefined {
  const v = opts[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'boolean' || Array.isArray(v)) throw usage(flag, typeof v === 'boolean' ? 'followed by a level' : 'given once', v);
  if (typeof v === 'number') {
    if (v === -1) {
      throw usage(flag, 'a whole number >= 0 (or <version>.<level> such as 4.2.0.45)', v,
        'WSO2 writes "update-level": "-1" for a pack that was never updated: that is level 0 here.');
    }
    if (!Number.isSafeInteger(v) || v < 0) throw usage(flag, 'a whole number >= 0 (or <version>.<level> such as 4.2.0.45)', v);
    return v;
  }
  const s = String(v).trim();
  if (/^\d+$/.test(s)) return Number(s);
  const m = /^(\d+\.\d+\.\d+)\.(\d+)$/.exec(s);
  if (m) {
    const version = product?.split('-').pop();
    if (version !== undefined && version !== m[1]) {
      flag = flag.replace(/^-+/, '');
      throw new UpdateError('usage', `--${flag} ${s} names version ${m[1]}, but this pack is ${product}`, { hint: `Use --${flag} ${m[2]} or --${flag} ${version}.${m[2]}.` });
    }
    return Number(m[2]);
  }
  throw usage(flag, 'a whole number >= 0 (or <version>.<level> such as 4.2.0.45)', v);
}

export function optPolicy(opts: Record<string, unknown>, key = 'onConflict'): ConflictPolicy {
  const v = optString(opts, key, 'on-conflict') ?? 'stop';
  if (v === 'stop' || v === 'keep-mine' || v === 'take-theirs') return v;
  throw usage('on-conflict', 'one of stop, keep-mine, take-theirs', v);
}

export function optSha256(opts: Record<string, unknown>, key: string, flag: string): string | undefined {
  const v = optString(opts, key, flag);
  if (v === undefined) return undefined;
  if (!/^[0-9a-f]{64}$/.test(v.toLowerCase())) throw usage(flag, 'a sha256 of 64 hex digits', v);
  return v.toLowerCase();
}

/** --trust-root (a file resolved against `cwd`, like every path flag) and --trust-root-sha256: the root to pin. */
export function optTrustRoot(opts: Record<string, unknown>, cwd: string): { rootFile?: string; rootSha256?: string } {
  const file = optString(opts, 'trustRoot', 'trust-root');
  return { rootFile: file === undefined ? undefined : resolve(cwd, file), rootSha256: optSha256(opts, 'trustRootSha256', 'trust-root-sha256') };
}

/** --repo for planning: a URL as given (openRepository refuses it with the reason), a folder resolved against `cwd`. */
export function optRepo(opts: Record<string, unknown>, cwd: string): string | undefined {
  const v = optString(opts, 'repo');
  return v === undefined || /^https?:\/\//i.test(v) ? v : resolve(cwd, v);
}
