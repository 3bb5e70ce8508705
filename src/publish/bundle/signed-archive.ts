// What create-update and create-hotfix share: the channel opened as a new client opens it (TUF against the given
// root), each target read once and kept as the bytes verified (written into the archive under its hashed name, as a
// consistent-snapshot client reads it, never downloaded again), the signed metadata, the blobs (from a source folder,
// hashed as they are packed; else fetched and verified into a scratch folder beside --out), the deterministic tar, and
// the archive read back before it is published under --out. Ctrl-C (the signal) stops downloads and the writer; the
// scratch folder and the writer's temporary file go on every failure, and `.create-*` scratch left by a kill is swept
// on the next run.
import { mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { sha256Hex } from '../../core/canonical.js';
import { UpdateError } from '../../core/errors.js';
import { blobRel } from '../../channel/blobs.js';
import { FolderTransport } from '../../channel/folder.js';
import { VerifiedRepository } from '../../channel/repository.js';
import { pool } from '../../io/tree.js';
import type { Transport } from '../../channel/transport.js';
import { freshTrust, type TrustedTargets } from '../../channel/trust/client.js';
import { hashedRel } from '../../core/layout.js';
import { signedMetadata } from '../../channel/trust/metadata-files.js';
import { writeBundle, type Expected, type WrittenBundle } from './write.js';

export interface SignedSource {
  trusted: TrustedTargets;
  repo: VerifiedRepository;
  /** The targets `repo` has read, verified, by path. */
  kept: Map<string, Buffer>;
}

export async function openSigned(source: Transport, root: Buffer, signal?: AbortSignal): Promise<SignedSource> {
  const trusted = await freshTrust(source, root, signal);
  const kept = new Map<string, Buffer>();
  return { trusted, kept, repo: new VerifiedRepository(source, { signal, keep: kept }, trusted) };
}

export interface ArchiveInput {
  source: Transport;
  from: SignedSource;
  /** The targets (read through `from.repo`) the archive carries, by path. */
  targets: string[];
  out: string;
  /** sha256 -> size of every blob the archive carries. */
  blobs: Map<string, number>;
  /** Generated entries (bundle.json) beside the kept targets and the signed metadata. */
  extra?: Record<string, Buffer>;
  /** Reads the written archive (at its temporary name) back as a client would; a refusal publishes nothing. */
  verify: (written: string) => Promise<void>;
  signal?: AbortSignal;
}

const SCRATCH = '.create-scratch-';

/** The scratch folders of runs for this --out: a run killed before its cleanup (SIGKILL) left its one there. */
const scratchPrefix = (out: string): string => `${SCRATCH}${basename(out)}-`;

async function sweepScratch(out: string): Promise<void> {
  for (const name of await readdir(dirname(out)).catch(() => [] as string[])) {
    if (name.startsWith(scratchPrefix(out))) await rm(join(dirname(out), name), { recursive: true, force: true });
  }
}

/**
 * The blobs as files under one folder: a source folder itself (each verified as it is packed: writeBundle's
 * `expect`, which also names a missing one), or a scratch folder the blobs were downloaded into (verified as fetched).
 */
async function blobFolder(input: ArchiveInput, scratch: () => Promise<string>): Promise<{ dir: string; expect?: Map<string, Expected> }> {
  if (input.source instanceof FolderTransport) {
    const dir = input.source.location;
    const expect = new Map<string, Expected>();
    for (const [sha, size] of input.blobs) expect.set(blobRel(sha), { sha256: sha, size, what: `blob ${sha} in ${dir}` });
    return { dir, expect };
  }
  const work = pool(8);
  const dir = await scratch();
  for (const [sha, size] of input.blobs) {
    await work.run(async () => {
      await mkdir(dirname(join(dir, blobRel(sha))), { recursive: true });
      await input.source.fetchTo(blobRel(sha), join(dir, blobRel(sha)), { size, sha256: sha, signal: input.signal }); // verified as fetched
    });
  }
  await work.drain();
  return { dir };
}

/** Writes the archive: kept targets under their hashed names, the signed metadata, `extra`, the blobs; then verifies it. */
export async function writeSignedArchive(input: ArchiveInput): Promise<WrittenBundle> {
  const extra: Record<string, Buffer> = {};
  for (const rel of input.targets) {
    const bytes = input.from.kept.get(rel);
    if (!bytes) throw new UpdateError('internal', `${rel} was not read before the archive was written`);
    extra[hashedRel(rel, sha256Hex(bytes))] = bytes;
  }
  for (const [rel, bytes] of await signedMetadata(input.source, input.from.trusted, input.signal)) extra[rel] = bytes;
  Object.assign(extra, input.extra);
  await sweepScratch(input.out);
  let scratch: string | null = null;
  try {
    const { dir, expect } = await blobFolder(input, async () => (scratch = await mkdtemp(join(dirname(input.out), scratchPrefix(input.out)))));
    return await writeBundle({ repoDir: dir, paths: [...input.blobs.keys()].map(blobRel), extra, out: input.out, signal: input.signal, expect, verify: input.verify });
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  }
}
