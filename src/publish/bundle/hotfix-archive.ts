// `create-hotfix`: a hotfix archive for a site with no channel, made with the bundle module (io/bundle/): one
// deterministic tar holding the channel's signed metadata as published, the TUF targets a hotfix plan reads (the
// index, the level's manifest, the hotfix record, under their hashed names: the bytes TUF verified) and the blobs it
// needs (the hotfix's files, and what the level and the level's other hotfixes ship at those paths, for merges and
// conflicts' .original). `apply-hotfix FILE` opens it as a repository, verified against the pack's pinned root.
import { UpdateError } from '../../core/errors.js';
import { assertHotfixId } from '../../core/hotfix.js';
import { openBundle } from '../../channel/bundle/transport.js';
import type { WrittenBundle } from './write.js';
import { openSigned, writeSignedArchive } from './signed-archive.js';
import { freshTrust } from '../../channel/trust/client.js';
import { VerifiedRepository } from '../../channel/repository.js';
import { hotfixRel, INDEX_FILE, manifestRel } from '../../core/layout.js';
import type { Transport } from '../../channel/transport.js';

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
  const from = await openSigned(req.source, req.root, req.signal);
  const { hotfix } = await from.repo.hotfix(req.product, req.id);
  const { manifest } = await from.repo.manifest(req.product, hotfix.level);
  // Both sides of each hotfix path: the base may be the level's file or another hotfix's of the same level.
  const paths = [...Object.keys(hotfix.files), ...hotfix.removes];
  const blobs = new Map<string, number>();
  const want = (files: typeof hotfix.files) => { for (const p of paths) { const e = files[p]; if (e?.kind === 'file') blobs.set(e.sha256, e.size); } };
  want(hotfix.files);
  want(manifest.files);
  for (const [other, h] of Object.entries((await from.repo.index()).products[req.product].hotfixes ?? {})) {
    if (other !== req.id && h.level === hotfix.level) want((await from.repo.hotfix(req.product, other)).hotfix.files);
  }
  const written = await writeSignedArchive({
    source: req.source, from, out: req.out, blobs, signal: req.signal, verify: (written) => verifyArchive(req, written),
    targets: [INDEX_FILE, manifestRel(req.product, hotfix.level), hotfixRel(req.product, req.id)],
  });
  return { ...written, out: req.out, level: hotfix.level, blobs: blobs.size };
}

/** The archive (`written`: its temporary name) read back as a pack pinned to the same root reads it: one that would not verify is never published. */
async function verifyArchive(req: HotfixArchiveRequest, written: string): Promise<void> {
  const bundle = await openBundle(written);
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
