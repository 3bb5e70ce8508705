// Canonical JSON and digests: same data, same bytes, same sha256, whatever order keys were built in.
// Hashing is pure computation, so node:crypto's createHash is the one node module core may use.

import { createHash } from 'node:crypto';
import type { Plan, Sha256 } from './model.js';

/** JSON with object keys sorted by code unit order at every depth; no whitespace. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('non-finite number in canonical JSON');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256Hex(data: string | Uint8Array): Sha256 {
  return createHash('sha256').update(data).digest('hex');
}

export function digestOf(value: unknown): Sha256 {
  return sha256Hex(canonicalJson(value));
}

/** The plan digest: everything but the creation time and the digest itself. */
export function planDigest(plan: Omit<Plan, 'digest'> | Plan): Sha256 {
  const { createdAt: _c, digest: _d, ...rest } = plan as Plan;
  return digestOf(rest);
}
