// `init`'s trust decision, made before anything is written: pin the root the operator brings (--trust-root FILE),
// or the repository's first root if its sha256 is the one given (--trust-root-sha256), or accept an unsigned
// repository only when asked (--allow-unsigned). A signed repository without a pin is refused: trust on first
// use would let whoever answers first choose the keys.
import { readFile, rm } from 'node:fs/promises';
import { sha256Hex } from '../../core/canonical.js';
import { UpdateError } from '../../core/errors.js';
import { openTransport } from '../open.js';
import type { Transport } from '../transport.js';
import { checkRoot, pinRoot } from './client.js';
import type { Pack } from '../../io/pack.js';
import { ROOT_MAX, TIMESTAMP_REL, versionedRel } from '../../core/layout.js';

export interface PinRequest {
  rootFile?: string;
  rootSha256?: string;
  allowUnsigned: boolean;
  /** The caller can never take an unsigned channel (create-update, create-hotfix): its refusals must not offer --allow-unsigned. */
  neverUnsigned?: boolean;
}

/** The way out of an unsigned channel: --allow-unsigned where the command has it, never where it does not. */
const unsignedWayOut = (req: PinRequest): string => (req.neverUnsigned
  ? 'An offline bundle or hotfix archive is only ever made from a signed channel (it is never accepted unsigned): ask the publisher to sign it (publish --keys).'
  : 'Ask the publisher to sign it (publish --keys), or pass --allow-unsigned to accept it without verification.');


async function isSignedRepo(t: Transport): Promise<boolean> {
  return t.read(TIMESTAMP_REL, { maxBytes: 16_384 }).then(() => true, (err: unknown) => {
    if (err instanceof UpdateError && err.code === 'not-found') return false;
    throw err;
  });
}

/** Pins (or not) and returns the trust folder to refresh into, null for an accepted unsigned repository. */
/** `dir`: where to pin (the pack's trust folder, or a new one that a reconfigure swaps in once it is verified). */
export async function pinTrust(pack: Pack, location: string, req: PinRequest, dir = pack.paths.trust): Promise<string | null> {
  const bytes = await rootToPin(location, req, pack.paths.own);
  if (bytes === null) return null;
  await pinRoot(dir, bytes);
  return dir;
}

/** The checked root.json the request names (null: unsigned accepted); refuses what init and mirror must refuse. */
export async function rootToPin(location: string, req: PinRequest, stagingDir?: string): Promise<Buffer | null> {
  if (req.rootFile !== undefined && req.rootSha256 !== undefined) throw new UpdateError('usage', 'give either --trust-root or --trust-root-sha256, not both');
  if (req.allowUnsigned && (req.rootFile !== undefined || req.rootSha256 !== undefined)) {
    throw new UpdateError('usage', '--allow-unsigned contradicts --trust-root/--trust-root-sha256', { hint: 'Pin the root of a signed repository; accept unsigned ones only when there is no other way.' });
  }
  if (req.allowUnsigned) return null;
  let bytes: Buffer;
  const transport = await openTransport(location, { pinning: true, stagingDir });
  try {
    if (req.rootFile !== undefined) {
      bytes = await readFile(req.rootFile).catch((err) => {
        throw new UpdateError('not-found', `cannot read the trust root ${req.rootFile}`, { hint: 'Check --trust-root.', cause: err });
      });
    } else if (req.rootSha256 !== undefined) {
      bytes = await transport.read(versionedRel(1, 'root'), { maxBytes: ROOT_MAX }).catch((err: unknown) => {
        if (err instanceof UpdateError && err.code === 'not-found') throw new UpdateError('verification', `the repository ${location} is not signed: it has no metadata/1.root.json`, { hint: unsignedWayOut(req) });
        throw err;
      });
      const got = sha256Hex(bytes);
      if (got !== req.rootSha256) {
        throw new UpdateError('verification', `the repository's first root (metadata/1.root.json) has sha256 ${got}, not the ${req.rootSha256} given`, {
          hint: 'Nothing was written. Check the sha256 with the publisher; the repository or the path to it may be compromised.',
        });
      }
    } else if (await isSignedRepo(transport)) {
      throw new UpdateError('usage', `${location} is a signed repository: pin its root with --trust-root ROOT.json or --trust-root-sha256 HEX`, {
        hint: 'Get root.json (or its sha256) from the publisher through a channel you trust.',
      });
    } else {
      throw new UpdateError('verification', `the repository ${location} is not signed (no metadata/timestamp.json)`, {
        hint: unsignedWayOut(req),
      });
    }
  } finally {
    await transport.close?.();
  }
  checkRoot(bytes, req.rootFile ?? `${location}/metadata/1.root.json`);
  return bytes;
}

export async function unpin(pack: Pack): Promise<void> {
  await rm(pack.paths.trust, { recursive: true, force: true });
}
