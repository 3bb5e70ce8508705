// What create-update reads of each manifest it carries: which blobs an update from one level of the range to the
// last can need. The manifest's bytes are verified before this (TUF's signed length and sha256, and the sha256 the
// index lists: VerifiedRepository.levelFile) and go into the bundle as they are; this reads only what create-update
// itself uses, and checks that much before using it: the product and level, every entry an object (the comparison
// of two levels reads each one), and of each entry that picks a blob its kind, sha256 (it names a blob file) and size
// (checked when the blob is packed).
//
// The rest of the full check (duplicate keys, the schema, every path's rules, case twins) is not run here (issue 22:
// a cold process spent 100-170 ms on it for two 12,000-entry manifests, a third of create-update). Nothing here
// writes a path of the manifest anywhere, and whoever uses the bundle reads each manifest through the verifying
// repository, which checks it in full (and refuses a bad one before anything changes): a signed manifest that only
// that check would refuse cannot get past it by travelling in a bundle.
import { UpdateError } from '../../core/errors.js';
import type { Manifest } from '../../core/model.js';
import { changedPaths } from '../../core/plan/planner.js';
import { quote } from '../../core/quote.js';

const SHA256 = /^[0-9a-f]{64}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A manifest as far as create-update reads it, and where it was read from (named in a refusal). */
export interface NeededManifest {
  manifest: Manifest;
  where: string;
}

const HINT = 'The channel is damaged or was published by a broken tool: publish the level again; nothing was written.';

/** The manifest `bytes` (verified, of `product` level `level`, read from `where`) as far as create-update uses it. */
export function neededManifest(bytes: Buffer, where: string, product: string, level: number): NeededManifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UpdateError('invalid-input', `${where}: not valid JSON`, { hint: HINT, cause: err });
  }
  if (!isObject(value) || !isObject(value.files)) throw new UpdateError('invalid-input', `${where}: not a manifest (no "files" object)`, { hint: HINT });
  if (value.product !== product || value.level !== level) {
    throw new UpdateError('verification', `${where} describes ${quote(value.product)} level ${quote(value.level)}, not ${product} level ${level}`, { hint: 'The repository is inconsistent; publish the level again.' });
  }
  const files = value.files;
  // for-in, not Object.entries: 12,000 pairs allocated per manifest for nothing. A parsed JSON object has no
  // inherited enumerable keys, and "__proto__" from JSON.parse is an own key like any other.
  for (const path in files) if (typeof files[path] !== 'object' || files[path] === null) refuseEntry(where, path);
  return { manifest: value as unknown as Manifest, where };
}

function refuseEntry(where: string, path: string): never {
  throw new UpdateError('invalid-input', `${where}: the entry of ${quote(path)} is not a file (sha256, size) or a symlink`, { hint: HINT });
}

/** An entry of a changed path: nothing (a symlink: no blob), or the blob it needs, checked before it names a file. */
function blobOf(e: Record<string, unknown> | undefined, m: NeededManifest, path: string): [string, number] | null {
  if (e === undefined || e.kind === 'symlink') return null;
  if (e.kind !== 'file' || typeof e.sha256 !== 'string' || !SHA256.test(e.sha256) || !Number.isSafeInteger(e.size) || (e.size as number) < 0) refuseEntry(m.where, path);
  return [e.sha256, e.size as number];
}

/** Both sides of every changed file, from each level in the range to the last: sha256 -> size. */
export function blobsNeeded(read: NeededManifest[]): Map<string, number> {
  const target = read[read.length - 1];
  const out = new Map<string, number>();
  const own = (m: NeededManifest, p: string) => (Object.hasOwn(m.manifest.files, p) ? (m.manifest.files[p] as unknown as Record<string, unknown>) : undefined);
  for (const base of read.slice(0, -1)) {
    for (const p of changedPaths(base.manifest, target.manifest)) {
      for (const m of [base, target]) {
        const blob = blobOf(own(m, p), m, p);
        if (blob) out.set(blob[0], blob[1]);
      }
    }
  }
  return out;
}
