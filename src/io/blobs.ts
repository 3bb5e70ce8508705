// Content-addressed blobs: `blobs/sha256/<first 2 hex>/<sha256>` in a repository folder. Every copy hashes the bytes
// as they are written and deletes the copy on a mismatch, so no file ever stands under a hash it does not have.
import { createReadStream } from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { Sha256 } from '../core/model.js';
import { UpdateError } from '../core/errors.js';
import { sha256Hex } from '../core/canonical.js';
import { tempSibling } from './atomic.js';

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
 * Stores the file `src` as blob `sha` unless it is already there (returns false then). The copy is verified under
 * a temporary name and renamed in; the caller fsyncs the touched shard folders once, before it publishes the index.
 */
export async function storeBlob(repoRoot: string, sha: Sha256, src: string): Promise<boolean> {
  if (await hasBlob(repoRoot, sha)) return false;
  const final = blobPath(repoRoot, sha);
  await mkdir(dirname(final), { recursive: true });
  const tmp = tempSibling(final);
  await copyVerified(src, tmp, sha, `${src} (changed while publishing?)`);
  await rename(tmp, final);
  return true;
}
