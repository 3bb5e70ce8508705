// Content-addressed blobs: `blobs/sha256/<first 2 hex>/<sha256>` in a repository, and the publishing side of them
// (staged under temporary names, fsynced, renamed), so no file ever stands under a hash it does not have. Reading
// them is the verifying repository's job (repository.ts), over whichever transport holds the repository.
import { constants } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Sha256 } from '../core/model.js';
import { UpdateError } from '../core/errors.js';
import { fsyncDir, fsyncFile, tempSibling } from '../io/atomic.js';
import { pool } from '../io/tree.js';

export const blobRel = (sha: Sha256): string => `blobs/sha256/${sha.slice(0, 2)}/${sha}`;
export const blobPath = (repoRoot: string, sha: Sha256): string => join(repoRoot, blobRel(sha));

export function assertSha(sha: string): void {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new UpdateError('invalid-input', `${JSON.stringify(sha)} is not a sha256`);
}

export async function hasBlob(repoRoot: string, sha: Sha256): Promise<boolean> {
  assertSha(sha);
  return stat(blobPath(repoRoot, sha)).then((s) => s.isFile(), () => false);
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
    await work.run(() => fsyncFile(tmp));
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
