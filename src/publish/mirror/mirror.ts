// `mirror`: copies a channel (all of it, or some products and levels) for an air-gapped site, verifying every byte
// it copies: TUF metadata against the pinned root, the index, manifests and descriptors against their signed
// hashes, blobs against the manifests' sha256 while they stream. The copy keeps the publisher's signed metadata
// unchanged, so it is itself a valid signed repository that clients pinned to the same root accept. All writing goes
// through io/mirror-copy.ts (only verified bytes; never backwards; a refused run leaves the copy as it was), staged
// in this order: blobs, then manifests and descriptors, then the index, then tool releases (io/mirror-tools.ts),
// then the metadata with timestamp.json last; a rerun copies only what is missing.
import { sha256Hex } from '../../core/canonical.js';
import { UpdateError } from '../../core/errors.js';
import type { Manifest, RepoIndex } from '../../core/model.js';
import { blobRel } from '../../channel/blobs.js';
import { MirrorCopy } from './copy.js';
import { VerifiedRepository } from '../../channel/repository.js';
import { INDEX_FILE, descriptorRel, hotfixRel, manifestRel } from '../../core/layout.js';
import { pool } from '../../io/tree.js';
import { mirrorToolReleases } from './tools.js';
import type { Transport } from '../../channel/transport.js';
import { freshTrust } from '../../channel/trust/client.js';
import { hashedRel } from '../../core/layout.js';
import { signedMetadata } from '../../channel/trust/metadata-files.js';
import { rootToPin, type PinRequest } from '../../channel/trust/pin.js';

export interface MirrorRequest {
  from: Transport;
  to: string;
  trust: PinRequest;
  products?: string[];
  /** Inclusive bounds; undefined = open. */
  levels?: { from?: number; to?: number };
  concurrency?: number;
  signal?: AbortSignal;
}

export interface MirrorResult {
  from: string;
  to: string;
  signed: boolean;
  products: Record<string, number[]>;
  blobsCopied: number;
  blobsPresent: number;
  bytesCopied: number;
  /** The tool release copied (signed channels: the newest one), or null. */
  toolRelease?: string | null;
}

async function stageTarget(copy: MirrorCopy, rel: string, bytes: Buffer, signed: boolean): Promise<void> {
  if (signed) await copy.stage(hashedRel(rel, sha256Hex(bytes)), bytes);
  await copy.stage(rel, bytes);
}

async function copyBlobs(req: MirrorRequest, copy: MirrorCopy, manifests: Manifest[], result: MirrorResult): Promise<void> {
  const wanted = new Map<string, number>();
  for (const m of manifests) for (const e of Object.values(m.files)) if (e.kind === 'file') wanted.set(e.sha256, e.size);
  const work = pool(req.concurrency ?? 8);
  for (const [sha, size] of wanted) {
    await work.run(async () => {
      if (await copy.present(blobRel(sha), sha)) {
        result.blobsPresent += 1;
        return;
      }
      await copy.fetch(req.from, blobRel(sha), { size, sha256: sha }, req.signal);
      result.blobsCopied += 1;
      result.bytesCopied += size;
    });
  }
  await work.drain();
}

/** The copy, read as a client pinned to the same root reads it, before anything is moved into place. */
async function verifyCopy(copy: MirrorCopy, root: Buffer, result: MirrorResult): Promise<void> {
  const transport = copy.preview();
  const repo = new VerifiedRepository(transport, {}, await freshTrust(transport, root));
  await repo.index();
  for (const [p, levels] of Object.entries(result.products)) {
    for (const level of levels) {
      await repo.manifest(p, level);
      await repo.descriptor(p, level);
    }
  }
}

export async function mirror(req: MirrorRequest): Promise<MirrorResult> {
  const root = await rootToPin(req.from.location, req.trust);
  const trusted = root === null ? undefined : await freshTrust(req.from, root, req.signal);
  // Each target is read once, under the repository's caps (and TUF's, when signed): the copy writes those bytes.
  const kept = new Map<string, Buffer>();
  const source = new VerifiedRepository(req.from, { signal: req.signal, keep: kept }, trusted);
  const index: RepoIndex = await source.index();
  const products = req.products ?? Object.keys(index.products).sort();
  for (const p of products) if (!index.products[p]) throw new UpdateError('not-found', `${req.from.location} has no product ${p}`, { hint: `Products in it: ${Object.keys(index.products).sort().join(', ') || '(none)'}.` });
  const result: MirrorResult = { from: req.from.location, to: req.to, signed: trusted !== undefined, products: {}, blobsCopied: 0, blobsPresent: 0, bytesCopied: 0 };
  const inRange = (l: number) => (req.levels?.from === undefined || l >= req.levels.from) && (req.levels?.to === undefined || l <= req.levels.to);
  const texts: Array<[string, Buffer]> = [];
  const copied = async (rel: string, sha: string): Promise<Buffer> => {
    const bytes = kept.get(rel);
    if (!bytes) throw new UpdateError('internal', `${rel} was not read before it was copied`);
    // The bytes copied are the bytes checked (a source changing under the mirror is caught here).
    if (sha256Hex(bytes) !== sha) throw new UpdateError('verification', `${req.from.location}/${rel} changed while it was mirrored (it no longer matches the index)`, { hint: 'Run the mirror again when the source is not being published to.' });
    return bytes;
  };
  const manifests: Manifest[] = [];
  for (const p of products) {
    result.products[p] = [];
    // Every level's manifest and descriptor are small and verified: all are copied, so check and plan work on the
    // copy; blobs only for the levels asked for.
    for (const level of await source.levels(p)) {
      const { manifest } = await source.manifest(p, level);
      await source.descriptor(p, level);
      const entry = index.products[p].levels[String(level)];
      for (const [rel, sha] of [[manifestRel(p, level), entry.manifest], [descriptorRel(p, level), entry.descriptor]]) texts.push([rel, await copied(rel, sha)]);
      if (inRange(level)) {
        manifests.push(manifest);
        result.products[p].push(level);
      }
    }
    // Hotfix records like manifests (all of them, verified); their blobs with the levels they go on.
    for (const [id, h] of Object.entries(index.products[p].hotfixes ?? {})) {
      const { hotfix } = await source.hotfix(p, id);
      texts.push([hotfixRel(p, id), await copied(hotfixRel(p, id), h.record)]);
      if (inRange(h.level)) manifests.push({ formatVersion: 1, product: p, level: h.level, files: hotfix.files });
    }
  }
  if (Object.values(result.products).every((ls) => ls.length === 0)) {
    throw new UpdateError('usage', 'no published level is in the --levels range', { hint: 'Check --levels A..B against `wso2update check` or the repository index.' });
  }
  const copy = await MirrorCopy.open(req.to);
  try {
    await copyBlobs(req, copy, manifests, result);
    for (const [rel, bytes] of texts) await stageTarget(copy, rel, bytes, trusted !== undefined);
    await stageTarget(copy, INDEX_FILE, kept.get(INDEX_FILE) as Buffer, trusted !== undefined); // read (capped and checked) once by source.index()
    if (trusted && root) {
      result.toolRelease = await mirrorToolReleases(req.from, trusted, copy, req.signal);
      for (const [rel, bytes] of await signedMetadata(req.from, trusted, req.signal)) await copy.stage(rel, bytes);
      await verifyCopy(copy, root, result);
    }
    await copy.commit();
  } catch (err) {
    await copy.abort();
    throw err;
  }
  return result;
}
