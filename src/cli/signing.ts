// Signing options shared by `publish` and `keygen`: the keys folder and the lifetimes of each role's metadata
// (`--timestamp-expiry 1d`, `--snapshot-expiry 7d`, `--targets-expiry 365d`, `--root-expiry 365d` by default).
import { resolve } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { loadKeys } from '../publish/keys.js';
import { checkKeys, isSigned, type Expiry } from '../publish/sign.js';
import { optString } from './options.js';

const UNIT: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400, w: 7 * 86_400, y: 365 * 86_400 };

/** `90s`, `30m`, `12h`, `7d`, `2w`, `1y`: a lifetime in seconds. */
export function parseDuration(flag: string, raw: string): number {
  const m = /^(\d+)([smhdwy])$/.exec(raw.trim());
  const n = m ? Number(m[1]) * UNIT[m[2]] : NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > 20 * UNIT.y) {
    throw new UpdateError('usage', `--${flag} must be a duration such as 12h, 7d or 1y (at most 20y), got ${JSON.stringify(raw)}`);
  }
  return n;
}

export function optExpiry(opts: Record<string, unknown>): Partial<Expiry> {
  const out: Partial<Expiry> = {};
  for (const role of ['root', 'targets', 'snapshot', 'timestamp'] as const) {
    const raw = optString(opts, `${role}Expiry`, `${role}-expiry`);
    if (raw !== undefined) out[role] = parseDuration(`${role}-expiry`, raw);
  }
  return out;
}

export function optKeys(opts: Record<string, unknown>, cwd: string): string | undefined {
  const v = optString(opts, 'keys');
  if (v === '') throw new UpdateError('usage', '--keys needs a folder');
  return v === undefined ? undefined : resolve(cwd, v);
}

/**
 * The keys a publishing command signs with (undefined: an unsigned repository). A signed repository is only ever
 * changed with its keys, and only with the keys its root lists: an unsigned index change would be invisible to clients.
 */
export async function publisherKeys(repo: string, keysDir: string | undefined, command: string) {
  if (!keysDir && isSigned(repo)) {
    throw new UpdateError('usage', `${repo} is a signed repository (it has metadata/root.json): ${command} needs --keys DIR`, { hint: 'Pass the keys folder made by `wso2update keygen`.' });
  }
  const keys = keysDir ? await loadKeys(keysDir) : undefined;
  if (keys) await checkKeys(repo, keys);
  return keys;
}

export const EXPIRY_OPTIONS: Array<[string, string]> = [
  ['--timestamp-expiry <duration>', 'Lifetime of timestamp.json (default 1d; e.g. 12h)'],
  ['--snapshot-expiry <duration>', 'Lifetime of the snapshot (default 7d)'],
  ['--targets-expiry <duration>', 'Lifetime of the targets (default 1y)'],
  ['--root-expiry <duration>', 'Lifetime of a new root (default 1y)'],
];
