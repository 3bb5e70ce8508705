// What create-update reads of each manifest it carries: which blobs an update from one level of the range to the
// last can need. The manifest's bytes are verified before this (TUF's signed length and sha256, and the sha256 the
// index lists: VerifiedRepository.levelFile) and go into the bundle as they are; this reads only what create-update
// itself uses, and checks that much before using it: the product and level, and per path an entry whose kind,
// sha256 (it names a blob file) and size (checked when the blob is packed) are well formed.
//
// The rest of the full check (duplicate keys, the schema, every path's rules, case twins) is not run here (issue 22:
// a cold process spent 100-170 ms on it for two 12,000-entry manifests, a third of create-update). Nothing here
// writes a path of the manifest anywhere, and whoever uses the bundle reads each manifest through the verifying
// repository, which checks it in full (and refuses a bad one with exit 7 before anything changes): a signed manifest
// that only that check would refuse cannot get past it by travelling in a bundle.
import { UpdateError } from '../../core/errors.js';
import type { Manifest } from '../../core/model.js';
import { changedPaths } from '../../core/plan/planner.js';
import { quote } from '../../core/quote.js';

const SHA256 = /^[0-9a-f]{64}$/;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The manifest `bytes` (verified, of `product` level `level`, read from `where`) as far as create-update uses it. */
export function neededManifest(bytes: Buffer, where: string, product: string, level: number): Manifest {
  const hint = 'The channel is damaged or was published by a broken tool: publish the level again; nothing was written.';
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new UpdateError('invalid-input', `${where}: not valid JSON`, { hint, cause: err });
  }
  if (!isObject(value) || !isObject(value.files)) throw new UpdateError('invalid-input', `${where}: not a manifest (no "files" object)`, { hint });
  if (value.product !== product || value.level !== level) {
    throw new UpdateError('verification', `${where} describes ${quote(value.product)} level ${quote(value.level)}, not ${product} level ${level}`, { hint: 'The repository is inconsistent; publish the level again.' });
  }
  for (const [path, e] of Object.entries(value.files)) {
    const ok = isObject(e) && (e.kind === 'symlink' || (e.kind === 'file' && typeof e.sha256 === 'string' && SHA256.test(e.sha256) && Number.isSafeInteger(e.size) && (e.size as number) >= 0));
    if (!ok) throw new UpdateError('invalid-input', `${where}: the entry of ${quote(path)} is not a file (sha256, size) or a symlink`, { hint });
  }
  return value as unknown as Manifest;
}

/** Both sides of every changed file, from each level in the range to the last: sha256 -> size. */
export function blobsNeeded(manifests: Manifest[]): Map<string, number> {
  const target = manifests[manifests.length - 1];
  const out = new Map<string, number>();
  for (const base of manifests.slice(0, -1)) {
    for (const p of changedPaths(base, target)) {
      for (const e of [base.files[p], target.files[p]]) if (e?.kind === 'file') out.set(e.sha256, e.size);
    }
  }
  return out;
}
