// create-update: one bundle that lets a pack at any level from L1 to L2 (but L2) update to L2 with no repository.
// Read from the channel and verified as a new client would (TUF against the given root): the signed metadata, the
// index, the manifest and descriptor of every level from L1 to L2 (under their hashed, signed names), and only the
// blobs an update from one of those levels to L2 can need: both sides of every changed file (the base side feeds
// merges and conflicts' .original). Blobs are verified by sha256 before they are packed.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../../core/canonical.js';
import { UpdateError } from '../../core/errors.js';
import type { Manifest } from '../../core/model.js';
import { changedPaths } from '../../core/planner.js';
import { TOOL_VERSION } from '../../core/version.js';
import { blobRel } from '../blobs.js';
import { FolderTransport } from '../folder-transport.js';
import { hashFile } from '../hash.js';
import { descriptorRel, INDEX_FILE, manifestRel, VerifiedRepository } from '../repository.js';
import { pool } from '../tree.js';
import type { Transport } from '../transport.js';
import { freshTrust } from '../trust/client.js';
import { hashedRel } from '../trust/layout.js';
import { signedMetadata } from '../trust/metadata-files.js';
import { checkHash, checkSize } from '../verify-bytes.js';
import { BUNDLE_INFO, type BundleInfo } from './info.js';
import { openBundle } from './transport.js';
import { writeBundle, type WrittenBundle } from './write.js';

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

/** The blobs as files under one folder: the source folder itself (hashed in place), or a private download folder. */
async function blobFolder(req: CreateUpdateRequest, blobs: Map<string, number>, scratch: () => Promise<string>): Promise<string> {
  const work = pool(8);
  if (req.source instanceof FolderTransport) {
    const dir = req.source.location;
    for (const [sha, size] of blobs) {
      await work.run(async () => {
        const got = await hashFile(join(dir, blobRel(sha))).catch((err: NodeJS.ErrnoException) => {
          if (err.code === 'ENOENT') throw new UpdateError('not-found', `blob ${sha} is missing from ${dir}`, { hint: 'The repository is incomplete: publish the level again.' });
          throw err;
        });
        checkSize(`blob ${sha} in ${dir}`, size, got.size);
        checkHash(`blob ${sha} in ${dir}`, sha, got.sha256);
      });
    }
    await work.drain();
    return dir;
  }
  const dir = await scratch();
  for (const [sha, size] of blobs) {
    await work.run(async () => {
      await mkdir(dirname(join(dir, blobRel(sha))), { recursive: true });
      await req.source.fetchTo(blobRel(sha), join(dir, blobRel(sha)), { size, sha256: sha, signal: req.signal });
    });
  }
  await work.drain();
  return dir;
}

/**
 * The bundle read back as a client pinned to the same root reads it: its TUF metadata refreshed from scratch, every
 * target checked against its signed length and sha256, every blob present with its size. (The manifests are not
 * parsed again: they are the very bytes verified and parsed from the source.) One that would not verify is never left.
 */
async function verifyWritten(req: CreateUpdateRequest, levels: number[], blobs: Map<string, number>): Promise<void> {
  const bundle = await openBundle(req.out);
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
  const trusted = await freshTrust(req.source, req.root, req.signal);
  const repo = new VerifiedRepository(req.source, { signal: req.signal }, trusted);
  const published = await repo.levels(req.product);
  for (const l of [req.from, req.to]) {
    if (!published.includes(l)) throw new UpdateError('not-found', `${req.product} has no level ${l} in ${req.source.location}`, { hint: `Published levels: ${published.join(', ')}.` });
  }
  const levels = published.filter((l) => l >= req.from && l <= req.to);
  const extra: Record<string, Buffer> = {};
  // Targets under their hashed names, as a consistent-snapshot client reads them: the exact bytes TUF verified.
  const target = async (rel: string, what: string) => {
    const bytes = await trusted.read(rel, what);
    extra[hashedRel(rel, sha256Hex(bytes))] = bytes;
  };
  await target(INDEX_FILE, 'the repository index');
  const manifests: Manifest[] = [];
  for (const l of levels) {
    manifests.push((await repo.manifest(req.product, l)).manifest);
    await repo.descriptor(req.product, l);
    await target(manifestRel(req.product, l), `the manifest of level ${l}`);
    await target(descriptorRel(req.product, l), `the descriptor of level ${l}`);
  }
  for (const [rel, bytes] of await signedMetadata(req.source, trusted, req.signal)) extra[rel] = bytes;
  const blobs = blobsNeeded(manifests);
  const info: BundleInfo = {
    formatVersion: 1, kind: 'update', product: req.product, fromLevel: req.from, toLevel: req.to, levels, createdAt: req.now.toISOString(),
    toolVersion: TOOL_VERSION, blobs: blobs.size, blobBytes: [...blobs.values()].reduce((a, b) => a + b, 0),
  };
  extra[BUNDLE_INFO] = Buffer.from(`${JSON.stringify(info, null, 2)}\n`);
  let scratch: string | null = null;
  try {
    const dir = await blobFolder(req, blobs, async () => (scratch = await mkdtemp(join(dirname(req.out), '.create-update-'))));
    const written = await writeBundle({ repoDir: dir, paths: [...blobs.keys()].map(blobRel), extra, out: req.out, signal: req.signal });
    await verifyWritten(req, levels, blobs).catch(async (err: unknown) => {
      await rm(req.out, { force: true });
      throw err;
    });
    return { ...written, info, out: req.out };
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
