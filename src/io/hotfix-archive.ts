// `create-hotfix`: a hotfix archive for a site with no channel, made with the bundle module (io/bundle/): one
// deterministic tar holding the channel's signed metadata as published, the TUF targets a hotfix plan reads (the
// index, the level's manifest, the hotfix record, under their hashed names: the bytes TUF verified) and the blobs it
// needs (the hotfix's files, and what the level and the level's other hotfixes ship at those paths, for merges and
// conflicts' .original). `apply-hotfix FILE` opens it as a repository, verified against the pack's pinned root.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { assertHotfixId } from '../core/hotfix.js';
import { blobRel } from './blobs.js';
import { openBundle, writeBundle, type WrittenBundle } from './bundle/index.js';
import { freshTrust } from './trust/client.js';
import { signedMetadata } from './trust/metadata-files.js';
import { hotfixRel, INDEX_FILE, manifestRel, VerifiedRepository } from './repository.js';
import { pool } from './tree.js';
import type { Transport } from './transport.js';
import { hashedRel } from './trust/layout.js';

export interface HotfixArchiveRequest {
  source: Transport;
  /** The root.json the channel is verified against: an archive is always signed, and checked before it is left. */
  root: Buffer;
  product: string;
  id: string;
  out: string;
  signal?: AbortSignal;
}

export type HotfixArchive = WrittenBundle & { out: string; level: number; blobs: number };

export async function createHotfixArchive(req: HotfixArchiveRequest): Promise<HotfixArchive> {
  assertHotfixId(req.id, '--id');
  const trusted = await freshTrust(req.source, req.root, req.signal);
  const repo = new VerifiedRepository(req.source, { signal: req.signal }, trusted);
  const { hotfix } = await repo.hotfix(req.product, req.id);
  const { manifest } = await repo.manifest(req.product, hotfix.level);
  const extra: Record<string, Buffer> = {};
  for (const [rel, what] of [[INDEX_FILE, 'the repository index'], [manifestRel(req.product, hotfix.level), `the manifest of level ${hotfix.level}`], [hotfixRel(req.product, req.id), `hotfix ${req.id}`]]) {
    const bytes = await trusted.read(rel, what);
    extra[hashedRel(rel, sha256Hex(bytes))] = bytes;
  }
  for (const [rel, bytes] of await signedMetadata(req.source, trusted, req.signal)) extra[rel] = bytes;
  // Both sides of each hotfix path: the base may be the level's file or another hotfix's of the same level.
  const paths = [...Object.keys(hotfix.files), ...hotfix.removes];
  const blobs = new Map<string, number>();
  const want = (files: typeof hotfix.files) => { for (const p of paths) { const e = files[p]; if (e?.kind === 'file') blobs.set(e.sha256, e.size); } };
  want(hotfix.files);
  want(manifest.files);
  for (const [other, h] of Object.entries((await repo.index()).products[req.product].hotfixes ?? {})) {
    if (other !== req.id && h.level === hotfix.level) want((await repo.hotfix(req.product, other)).hotfix.files);
  }
  const scratch = await mkdtemp(join(dirname(req.out), '.create-hotfix-'));
  try {
    const work = pool(8);
    for (const [sha, size] of blobs) {
      await work.run(async () => {
        await mkdir(dirname(join(scratch, blobRel(sha))), { recursive: true });
        await req.source.fetchTo(blobRel(sha), join(scratch, blobRel(sha)), { size, sha256: sha, signal: req.signal }); // verified as fetched
      });
    }
    await work.drain();
    const written = await writeBundle({ repoDir: scratch, paths: [...blobs.keys()].map(blobRel), extra, out: req.out });
    await verifyArchive(req).catch(async (err: unknown) => {
      await rm(req.out, { force: true });
      throw err;
    });
    return { ...written, out: req.out, level: hotfix.level, blobs: blobs.size };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** The archive read back as a pack pinned to the same root reads it: one that would not verify is never left. */
async function verifyArchive(req: HotfixArchiveRequest): Promise<void> {
  const bundle = await openBundle(req.out);
  try {
    const copy = new VerifiedRepository(bundle, {}, await freshTrust(bundle, req.root, req.signal));
    const { hotfix } = await copy.hotfix(req.product, req.id);
    await copy.manifest(req.product, hotfix.level);
  } catch (err) {
    throw new UpdateError('verification', `the hotfix archive ${req.out} does not verify against the root it was made with`, { hint: 'The channel changed while the archive was made; make it again.', cause: err });
  } finally {
    await bundle.close();
  }
}
