// The folder transport: a repository that is a folder on disk (or a mounted share). It only moves bytes; what they
// mean is checked by the verifying repository (repository.ts). A blob is copied by the kernel (copy_file_range: no
// bytes through user space) and the copy is then hashed, so what is verified is what landed at `dest`.
import { constants } from 'node:fs';
import { copyFile, readFile, rm, stat } from 'node:fs/promises';
import { fsyncFile } from '../io/atomic.js';
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { assertSafePath } from '../core/paths.js';
import { checkBytes, checkSize, tooLarge } from './verify-bytes.js';
import { hashFile } from '../io/hash.js';
import { decodedRel, type FetchOptions, type ReadOptions, type Transport } from './transport.js';

const aborted = (signal?: AbortSignal): void => {
  if (signal?.aborted) throw new UpdateError('interrupted', 'interrupted while reading the repository', { hint: 'Run the command again when ready.', cause: signal.reason });
};

function missing(location: string, rel: string, err: unknown): UpdateError {
  return new UpdateError('not-found', `${rel} is missing from the repository ${location}`, {
    hint: 'The repository is incomplete: publish the level again, or point --repo at a complete copy.', cause: err,
  });
}

export class FolderTransport implements Transport {
  constructor(readonly location: string) {}

  private abs(rel: string): string {
    assertSafePath(rel, this.location); // repository-relative, never climbing out of the folder
    return join(this.location, rel);
  }

  /** The source must be a regular file (never a FIFO or a device, which would block or never end). */
  private async source(rel: string): Promise<{ abs: string; size: number }> {
    const abs = this.abs(rel);
    const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' || err.code === 'ENOTDIR' ? missing(this.location, rel, err) : err;
    });
    if (!st.isFile()) {
      throw new UpdateError('verification', `${abs} is not a regular file`, { hint: 'The repository is damaged or was tampered with; nothing was changed.' });
    }
    return { abs, size: st.size };
  }

  async read(rel: string, opts: ReadOptions = {}): Promise<Buffer> {
    aborted(opts.signal);
    const { abs, size } = await this.source(decodedRel(rel, opts.encoded));
    if (opts.maxBytes !== undefined && size > opts.maxBytes) throw tooLarge(abs, size, opts.maxBytes);
    const data = await readFile(abs, { signal: opts.signal });
    if (opts.maxBytes !== undefined && data.length > opts.maxBytes) throw tooLarge(abs, data.length, opts.maxBytes);
    return data;
  }

  async fetchTo(rel: string, dest: string, opts: FetchOptions): Promise<void> {
    aborted(opts.signal);
    const { abs, size } = await this.source(rel);
    // A size other than the manifest's is refused before a byte is copied (a lying size would defeat the space check).
    checkSize(abs, opts.size, size);
    await copyFile(abs, dest, constants.COPYFILE_EXCL);
    try {
      checkBytes(abs, opts, await hashFile(dest));
      if (opts.sync) await fsyncFile(dest);
    } catch (err) {
      await rm(dest, { force: true });
      throw err;
    }
    opts.onBytes?.(size);
  }
}
