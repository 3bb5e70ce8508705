// Reading a signed target: its bytes fetched under the name the repository keeps them at (hash-prefixed with
// consistent snapshots) and checked against every hash its metadata gives that this client computes, with at least
// one required, and against its signed length. The one place that decides which target hashes count.
import { createHash } from 'node:crypto';
import type { TargetFile } from '@tufjs/models';
import { UpdateError } from '../../core/errors.js';
import type { Transport } from '../transport.js';
import { hashedRel } from '../../core/layout.js';

/** Hash algorithms a target may be verified by (node:crypto computes them; weaker ones never count). */
const ALGORITHMS = ['sha256', 'sha512'] as const;

/**
 * The target's hashes this client verifies, sha256 first when it is listed (the name a consistent-snapshot target is
 * read under: any listed hash is valid there, and wso2update's own mirrors and bundles write sha256 names);
 * refuses a target that names none of them.
 */
export function targetHashes(t: TargetFile, what: string): Array<[string, string]> {
  const rank = (alg: string) => (ALGORITHMS as readonly string[]).indexOf(alg);
  const known = Object.entries(t.hashes).filter(([alg]) => rank(alg) >= 0).sort(([a], [b]) => rank(a) - rank(b));
  if (known.length === 0) {
    throw new UpdateError('verification', `${what} (${t.path}) is signed with no hash this client verifies (${Object.keys(t.hashes).join(', ') || 'none'}; needs ${ALGORITHMS.join(' or ')})`, {
      hint: 'Nothing was changed. Ask the publisher to list a sha256 or sha512 of every target.',
    });
  }
  return known;
}

/** `t`'s bytes from `from`, checked; `consistent`: the repository keeps targets under hash-prefixed names. */
export async function readTarget(from: Transport, t: TargetFile, what: string, consistent: boolean, signal?: AbortSignal): Promise<Buffer> {
  const hashes = targetHashes(t, what);
  const rel = consistent ? hashedRel(t.path, hashes[0][1]) : t.path;
  return checkTarget(t, await from.read(rel, { maxBytes: t.length, signal }), what);
}

/** `bytes` if they are `t`'s (signed length and every hash this client verifies); a refusal otherwise. */
export function checkTarget(t: TargetFile, bytes: Buffer, what: string): Buffer {
  const hashes = targetHashes(t, what);
  const wrong = hashes.map(([alg, want]) => [alg, want, createHash(alg).update(bytes).digest('hex')]).filter(([, want, got]) => want !== got);
  if (bytes.length !== t.length || wrong.length > 0) {
    throw new UpdateError('verification', `${what} (${t.path}) does not match its signed ${hashes.map(([a]) => a).join(' and ')} and length: tampered or damaged`, {
      detail: [`expected ${t.length} bytes, got ${bytes.length}`, ...wrong.map(([alg, want, got]) => `${alg}: expected ${want}\n${' '.repeat(alg.length)}  got      ${got}`)].join('\n'),
      hint: 'Nothing was changed. Tell the publisher, or use a faithful mirror.',
    });
  }
  return bytes;
}
