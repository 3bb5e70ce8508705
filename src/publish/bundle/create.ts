// create-update: one bundle that lets a pack at any level from L1 to L2 (but L2) update to L2 with no repository.
// Read from the channel and verified as a new client would (TUF against the given root): the signed metadata, the
// index, the manifest and descriptor of every level from L1 to L2 (under their hashed, signed names), and only the
// blobs an update from one of those levels to L2 can need: both sides of every changed file (the base side feeds
// merges and conflicts' .original). Blobs are verified by sha256 as they are packed. Manifests are checked as far
// as create-update uses them (needed.ts); the client that applies the bundle checks them in full.
import { UpdateError } from '../../core/errors.js';
import { TOOL_VERSION } from '../../core/version.js';
import { descriptorRel, INDEX_FILE, manifestRel } from '../../core/layout.js';
import type { Transport } from '../../channel/transport.js';
import { freshTrust } from '../../channel/trust/client.js';
import { checkSize } from '../../channel/verify-bytes.js';
import { blobRel } from '../../channel/blobs.js';
import type { BundleInfo } from '../../core/model.js';
import { BUNDLE_INFO } from '../../channel/bundle/info.js';
import { openBundle } from '../../channel/bundle/transport.js';
import { openSigned, writeSignedArchive } from './signed-archive.js';
import type { WrittenBundle } from './write.js';
import { blobsNeeded, neededManifest, type NeededManifest } from './needed.js';

export interface CreateUpdateRequest {
  source: Transport;
  /** The root.json the source is verified against (a bundle is always signed). */
  root: Buffer;
  product: string;
  from: number;
  to: number;
  out: string;
  now: Date;
  signal?: AbortSignal;
}

export type CreatedBundle = WrittenBundle & { info: BundleInfo; out: string };

/**
 * The bundle (`written`: its temporary name) read back as a client pinned to the same root reads it: its TUF metadata
 * refreshed from scratch, every target checked against its signed length and sha256, every blob present with its
 * size. (The manifests are not parsed here: they are the very bytes verified at the source.) One that
 * would not verify is never published.
 */
async function verifyWritten(req: CreateUpdateRequest, written: string, levels: number[], blobs: Map<string, number>): Promise<void> {
  const bundle = await openBundle(written);
  try {
    const trusted = await freshTrust(bundle, req.root, req.signal);
    await trusted.read(INDEX_FILE, 'the index in the bundle');
    for (const l of levels) {
      await trusted.read(manifestRel(req.product, l), `the manifest of level ${l} in the bundle`);
      await trusted.read(descriptorRel(req.product, l), `the descriptor of level ${l} in the bundle`);
    }
    const sizes = new Map(bundle.entries().map((e) => [e.path, e.size]));
    for (const [sha, size] of blobs) checkSize(`blob ${sha} in ${req.out}`, size, sizes.get(blobRel(sha)) ?? -1);
  } finally {
    await bundle.close();
  }
}

export async function createUpdateBundle(req: CreateUpdateRequest): Promise<CreatedBundle> {
  if (req.to <= req.from) throw new UpdateError('usage', `--to ${req.to} must be above --from ${req.from}`, { hint: 'A bundle takes a pack from one level up to a later one.' });
  const from = await openSigned(req.source, req.root, req.signal);
  const published = await from.repo.levels(req.product);
  for (const l of [req.from, req.to]) {
    if (!published.includes(l)) throw new UpdateError('not-found', `${req.product} has no level ${l} in ${req.source.location}`, { hint: `Published levels: ${published.join(', ')}.` });
  }
  const levels = published.filter((l) => l >= req.from && l <= req.to);
  const manifests: NeededManifest[] = [];
  // Verified as bytes (TUF, the index's sha256) and carried as they are; of a manifest only what picks the blobs is
  // read and checked (needed.ts), and a descriptor is not parsed: whoever applies the bundle checks both in full.
  for (const l of levels) {
    const where = `${req.source.location.replace(/\/$/, '')}/${manifestRel(req.product, l)}`;
    manifests.push(neededManifest(await from.repo.levelFile(req.product, l, 'manifest'), where, req.product, l));
    await from.repo.levelFile(req.product, l, 'descriptor');
  }
  const blobs = blobsNeeded(manifests);
  const info: BundleInfo = {
    formatVersion: 1, kind: 'update', product: req.product, fromLevel: req.from, toLevel: req.to, levels, createdAt: req.now.toISOString(),
    toolVersion: TOOL_VERSION, blobs: blobs.size, blobBytes: [...blobs.values()].reduce((a, b) => a + b, 0),
  };
  const written = await writeSignedArchive({
    source: req.source, from, out: req.out, blobs, signal: req.signal, verify: (written) => verifyWritten(req, written, levels, blobs),
    targets: [INDEX_FILE, ...levels.flatMap((l) => [manifestRel(req.product, l), descriptorRel(req.product, l)])],
    extra: { [BUNDLE_INFO]: Buffer.from(`${JSON.stringify(info, null, 2)}\n`) },
  });
  return { ...written, info, out: req.out };
}
