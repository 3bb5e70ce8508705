// The signed metadata a copy of a repository must carry (a mirror's folder, an offline bundle) so that a client
// pinned to any root version verifies it: every root version, the newest root under its fixed name, the targets,
// delegated roles and snapshot versions the timestamp leads to (consistent snapshots), and timestamp.json last, in
// the order a copy is written in. Only verified bytes: the client's own (TrustedTargets.metadata), and the roots
// before the pinned one each checked to be the root that signed its successor. Nothing here walks an unbounded
// list of versions, and nothing is downloaded again after it was verified.
import { Metadata, MetadataKind } from '@tufjs/models';
import { UpdateError } from '../../core/errors.js';
import type { Transport } from '../transport.js';
import type { TrustedTargets } from './client.js';
import { MAX_ROOT_ROTATIONS, ROOT_MAX, versionedRel } from '../../core/layout.js';

const HINT = 'Nothing was written. Pin the first root of the channel (--trust-root-sha256 of metadata/1.root.json), or tell the publisher.';

function rootOf(bytes: Buffer, where: string): Metadata<never> {
  try {
    return Metadata.fromJSON(MetadataKind.Root, JSON.parse(bytes.toString('utf8')) as never) as Metadata<never>;
  } catch (err) {
    throw new UpdateError('verification', `${where} is not a TUF root: ${(err as Error).message.replace(/\s+/g, ' ')}`, { hint: HINT, cause: err });
  }
}

/**
 * The roots before the pinned one (version `pinnedVersion`), oldest first. Each must be the version before the one
 * above it, signed by its own keys, and hold the keys that signed the one above: exactly what a client pinned to it
 * checks when it walks forward. Bounded like a forward walk (MAX_ROOT_ROTATIONS).
 */
async function rootsBefore(from: Transport, pinned: Buffer, signal?: AbortSignal): Promise<Array<[string, Buffer]>> {
  let next = rootOf(pinned, 'the pinned root');
  const version = (next.signed as { version: number }).version;
  if (version - 1 > MAX_ROOT_ROTATIONS) {
    throw new UpdateError('verification', `the pinned root is version ${version}: more than ${MAX_ROOT_ROTATIONS} root rotations to copy before it`, { hint: HINT });
  }
  const out: Array<[string, Buffer]> = [];
  for (let v = version - 1; v >= 1; v--) {
    const rel = versionedRel(v, 'root');
    const bytes = await from.read(rel, { maxBytes: ROOT_MAX, signal }).catch((err: unknown) => {
      if (err instanceof UpdateError && err.code === 'not-found') throw new UpdateError('verification', `${from.location}/${rel} is missing: a copy carries every root version, so that clients pinned to an older root follow the rotations`, { hint: HINT });
      throw err;
    });
    const prev = rootOf(bytes, `${from.location}/${rel}`);
    try {
      if ((prev.signed as { version: number }).version !== v) throw new Error(`it says version ${(prev.signed as { version: number }).version}`);
      prev.verifyDelegate('root', prev);
      prev.verifyDelegate('root', next);
    } catch (err) {
      throw new UpdateError('verification', `${from.location}/${rel} is not the root that signed version ${v + 1}: ${(err as Error).message.replace(/\s+/g, ' ')}`, { hint: HINT, cause: err });
    }
    out.unshift([rel, bytes]);
    next = prev;
  }
  return out;
}

/** The metadata files to write into a copy of `from`, whose refresh is `trusted` (see the head of this file). */
export async function signedMetadata(from: Transport, trusted: TrustedTargets, signal?: AbortSignal): Promise<Array<[string, Buffer]>> {
  const verified = trusted.metadata();
  return [...(await rootsBefore(from, verified[0][1], signal)), ...verified];
}
