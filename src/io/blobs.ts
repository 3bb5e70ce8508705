// Content-addressed blobs: `blobs/sha256/<first 2 hex>/<sha256>` in a repository folder. Every copy hashes the bytes
// as they are written and deletes the copy on a mismatch, so no file ever stands under a hash it does not have.
import { constants, createReadStream, existsSync } from 'node:fs';
import { copyFile, mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Sha256 } from '../core/model.js';
import { UpdateError } from '../core/errors.js';
import { sha256Hex } from '../core/canonical.js';
import { fsyncDir, tempSibling } from './atomic.js';
import { hashFile } from './hash.js';
import { pool } from './tree.js';

export const blobRel = (sha: Sha256): string => `blobs/sha256/${sha.slice(0, 2)}/${sha}`;
export const blobPath = (repoRoot: string, sha: Sha256): string => join(repoRoot, blobRel(sha));

function assertSha(sha: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new UpdateError('invalid-input', `${JSON.stringify(sha)} is not a sha256`);
}

function mismatch(what: string, want: Sha256, got: Sha256): UpdateError {
  return new UpdateError('verification', `${what} does not match its sha256 (expected ${want}, got ${got})`, {
    hint: 'The repository copy is damaged or was tampered with; nothing was changed. Re-publish the level or restore the repository.',
  });
}

function notFound(what: string, err: unknown): UpdateError {
  return new UpdateError('not-found', `${what} is missing`, {
    hint: 'The repository is incomplete: publish the level again, or point --repo at a complete copy.', cause: err,
  });
}

/** Copies `src` to `dest` (which must not exist), hashing while writing; fsyncs; on a mismatch deletes `dest`. */
export async function copyVerified(src: string, dest: string, sha: Sha256, what: string): Promise<void> {
  const fh = await open(dest, 'wx', 0o644);
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(src, { highWaterMark: 1 << 20 })) {
      const buf = chunk as Buffer;
      hash.update(buf);
      for (let off = 0; off < buf.length; ) off += (await fh.write(buf, off, buf.length - off)).bytesWritten;
    }
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(dest, { force: true });
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound(what, err);
    throw err;
  }
  await fh.close();
  const got = hash.digest('hex');
  if (got !== sha) {
    await rm(dest, { force: true });
    throw mismatch(what, sha, got);
  }
}

export async function hasBlob(repoRoot: string, sha: Sha256): Promise<boolean> {
  assertSha(sha);
  return stat(blobPath(repoRoot, sha)).then((s) => s.isFile(), () => false);
}

/** A blob's bytes, verified. */
export async function readBlob(repoRoot: string, sha: Sha256): Promise<Buffer> {
  assertSha(sha);
  const data = await readFile(blobPath(repoRoot, sha)).catch((err) => {
    throw (err as NodeJS.ErrnoException).code === 'ENOENT' ? notFound(`blob ${sha}`, err) : err;
  });
  const got = sha256Hex(data);
  if (got !== sha) throw mismatch(`blob ${sha}`, sha, got);
  return data;
}

export async function copyBlob(repoRoot: string, sha: Sha256, dest: string): Promise<void> {
  assertSha(sha);
  await copyVerified(blobPath(repoRoot, sha), dest, sha, `blob ${sha}`);
}

/**
 * A kernel copy (copy_file_range: no bytes through user space), then the copy is hashed: verified while it still
 * has its staging name, deleted on a mismatch. Unsynced: apply fsyncs all staged files at once before the swap.
 */
export async function copyBlobUnsynced(repoRoot: string, sha: Sha256, dest: string): Promise<void> {
  assertSha(sha);
  const src = blobPath(repoRoot, sha);
  await copyFile(src, dest, constants.COPYFILE_EXCL).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT' || existsSync(src)) throw err;
    throw notFound(`blob ${sha}`, err);
  });
  const got = (await hashFile(dest)).sha256;
  if (got !== sha) {
    await rm(dest, { force: true });
    throw mismatch(`blob ${sha}`, sha, got);
  }
}

/**
 * Publishing copies in three passes, because fsync per file as it is written costs more than the copy itself:
 * copy every new blob to a temporary name (kernel copy, after the scan has hashed it), fsync them all with high
 * concurrency, then rename them into place and fsync their folders. A blob name therefore only ever appears for
 * durable content, and a crash leaves only `.tmp` leftovers, never a short blob that a later publish would skip.
 */
export interface StagedBlob {
  tmp: string;
  final: string;
}

export async function stageBlob(repoRoot: string, sha: Sha256, src: string, size: number): Promise<StagedBlob | null> {
  if (await hasBlob(repoRoot, sha)) return null;
  const final = blobPath(repoRoot, sha);
  await mkdir(dirname(final), { recursive: true });
  const tmp = tempSibling(final);
  await copyFile(src, tmp, constants.COPYFILE_EXCL);
  // The scan hashed `src`; a size change means it was written to meanwhile. Reads verify every blob regardless.
  if ((await stat(tmp)).size !== size) {
    await rm(tmp, { force: true });
    throw new UpdateError('io', `${src} changed while it was being published`, { hint: 'Stop whatever writes to the tree and publish again.' });
  }
  return { tmp, final };
}

/** fsyncs staged blobs, renames them to their names, fsyncs the touched folders. */
export async function commitBlobs(staged: StagedBlob[], concurrency = 32): Promise<void> {
  const work = pool(concurrency);
  for (const { tmp } of staged) {
    await work.run(async () => {
      const fh = await open(tmp, 'r');
      try { await fh.sync(); } finally { await fh.close(); }
    });
  }
  await work.drain();
  const dirs = new Set<string>();
  for (const { tmp, final } of staged) {
    await rename(tmp, final);
    dirs.add(dirname(final));
  }
  for (const dir of dirs) await fsyncDir(dir);
  if (dirs.size) await fsyncDir(dirname([...dirs][0]));
}
