// Writing bytes to a file whole, and what "no room" means to the operator. write(2) may write less than it was given
// and say no more: that is how a full disk, a quota or the file-size limit (ulimit -f; Node ignores SIGXFSZ) first
// shows. Writing the rest makes the kernel say which (ENOSPC, EDQUOT, EFBIG), so callers see an errno, never a
// silent short file or a home-made error without a code.
import { write, writeSync, writev, writevSync } from 'node:fs';
import { promisify } from 'node:util';
import type { FileHandle } from 'node:fs/promises';
import { UpdateError } from '../core/errors.js';

const writevFd = promisify(writev);
const writeFd = promisify(write);

/** A write that took nothing and said nothing: counted as a full disk (writing on would loop forever). */
const tookNone = (at: number): Error => Object.assign(new Error(`the disk took none of the bytes at position ${at}`), { code: 'ENOSPC' });

/** Writes every byte of `chunks` at `pos` (one writev when the disk takes them all, as it nearly always does). */
export async function writevAll(to: FileHandle | number, chunks: readonly Buffer[], pos: number): Promise<void> {
  const want = chunks.reduce((n, c) => n + c.length, 0);
  if (want === 0) return;
  let done = (typeof to === 'number' ? await writevFd(to, chunks as Buffer[], pos) : await to.writev(chunks as Buffer[], pos)).bytesWritten;
  if (done === want) return;
  // Short: the rest as one buffer (one copy, of at most what this call was given; a download may come in a million
  // one-byte chunks, which a walk-and-slice per write would copy again each time), written until the kernel errs.
  const rest = Buffer.concat(chunks as Buffer[], want);
  while (done < want) {
    const { bytesWritten } = typeof to === 'number' ? await writeFd(to, rest, done, want - done, pos + done) : await to.write(rest, done, want - done, pos + done);
    // A regular file's write takes at least one byte or fails; nothing taken and no error would loop forever.
    if (bytesWritten === 0) throw tookNone(pos + done);
    done += bytesWritten;
  }
}

/**
 * writevAll, synchronously: for a few hundred KiB to the page cache the write itself costs less
 * than the thread-pool round trip of an asynchronous one (the HTTP transport's small blobs).
 */
export function writevAllSync(fd: number, chunks: readonly Buffer[], pos: number): void {
  const want = chunks.reduce((n, c) => n + c.length, 0);
  if (want === 0) return;
  let done = writevSync(fd, chunks as Buffer[], pos);
  if (done === want) return;
  const rest = Buffer.concat(chunks as Buffer[], want); // as in writevAll: one copy, written until the kernel errs
  while (done < want) {
    const n = writeSync(fd, rest, done, want - done, pos + done);
    if (n === 0) throw tookNone(pos + done);
    done += n;
  }
}

/** No room to write (a full disk, a quota, a file-size limit): the operator's to fix, said so, not a raw errno. */
const NO_ROOM: Record<string, string> = {
  ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is used up', EFBIG: 'the file-size limit (ulimit -f) is reached',
};

/** `err` as an `io` UpdateError naming `target` when it says there is no room; null for any other error. */
export function noRoomError(err: unknown, target: string, hint: string): UpdateError | null {
  const code = err instanceof Error && !(err instanceof UpdateError) ? (err as NodeJS.ErrnoException).code ?? '' : '';
  const why = NO_ROOM[code];
  if (why === undefined) return null;
  return new UpdateError('io', `no room to write ${target}: ${why} (${code})`, { hint, cause: err });
}
