// The folder transport: a repository that is a folder on disk (or a mounted share). It only moves bytes; what they
// mean is checked by the verifying repository (repository.ts). A blob is copied by the kernel (copy_file_range: no
// bytes through user space) and the copy is then hashed, so what is verified is what landed at `dest`.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { copyFile, rm, stat } from 'node:fs/promises';
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

const notRegular = (abs: string): UpdateError =>
  new UpdateError('verification', `${abs} is not a regular file`, { hint: 'The repository is damaged or was tampered with; nothing was changed.' });

export class FolderTransport implements Transport {
  constructor(readonly location: string) {}

  private abs(rel: string): string {
    assertSafePath(rel, this.location); // repository-relative, never climbing out of the folder
    return join(this.location, rel);
  }

  localFile(rel: string): string {
    return this.abs(rel);
  }

  /** The source must be a regular file (never a FIFO or a device, which would block or never end). */
  private async source(rel: string): Promise<{ abs: string; size: number }> {
    const abs = this.abs(rel);
    const st = await stat(abs).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'ENOENT' || err.code === 'ENOTDIR' ? missing(this.location, rel, err) : err;
    });
    if (!st.isFile()) throw notRegular(abs);
    return { abs, size: st.size };
  }

  /**
   * Read on the calling thread: a plan reads a few hundred small blobs and files, and each asynchronous read was four
   * thread-pool round trips (open, fstat, read, close), most of plan's waiting (issue 22). Opened without blocking
   * (a FIFO put there would hang a plain open) and checked on the open descriptor, so nothing is swapped in between.
   */
  async read(rel: string, opts: ReadOptions = {}): Promise<Buffer> {
    aborted(opts.signal);
    const abs = this.abs(decodedRel(rel, opts.encoded));
    let fd: number;
    try {
      fd = openSync(abs, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw code === 'ENOENT' || code === 'ENOTDIR' ? missing(this.location, rel, err) : err;
    }
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) throw notRegular(abs);
      if (opts.maxBytes !== undefined && st.size > opts.maxBytes) throw tooLarge(abs, st.size, opts.maxBytes);
      const data = readFileSync(fd); // to the end, even if the file grew since the fstat: checked again below
      if (opts.maxBytes !== undefined && data.length > opts.maxBytes) throw tooLarge(abs, data.length, opts.maxBytes);
      return data;
    } finally {
      closeSync(fd);
    }
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
