// The deterministic bundle writer: a plain (uncompressed) POSIX tar of repository files, with node-tar's own headers
// (Header, Pax). Same inputs, same bytes: entries sorted in code-unit order, portable
// headers (no uid/gid/uname/atime/ctime/dev/ino), one fixed mtime, mode 0644 for every entry (a bundle carries no
// modes: the signed manifests do), no directory entries, regular files only, and never a hard-link entry.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Header, Pax } from 'tar';
import { UpdateError } from '../../core/errors.js';
import { assertSafePath, comparePaths, foldPath } from '../../core/paths.js';
import { tempSibling } from '../../io/atomic.js';
import { checkHash, checkSize } from '../../channel/verify-bytes.js';
import { ArchiveSink } from './archive-sink.js';

/** The one mtime every entry carries (2000-01-01T00:00:00Z): a date, not the clock, so archives are byte-stable. */
export const BUNDLE_MTIME = new Date(Date.UTC(2000, 0, 1));
const BLOCK = 512;

export interface WriteBundleInput {
  /** The folder the `paths` are relative to (a repository). */
  repoDir: string;
  /** Repository-relative paths of regular files to include, in any order. */
  paths: string[];
  /** Small generated files (a bundle description), by archive path; they sort among the others. */
  extra?: Record<string, Buffer>;
  /** The archive to write; replaced atomically (a temporary sibling, read back, renamed; not fsynced: see writeBundle). */
  out: string;
  /** Reads the finished archive at its temporary name (as a client would) before it is renamed over `out`. */
  verify?: (written: string) => Promise<void>;
  /** Stops between entries (Ctrl-C); the temporary sibling is removed and `out` is left as it was. */
  signal?: AbortSignal;
  /** What some of `paths` must hold (sha256 and size), checked as they are packed: a mismatch writes nothing. */
  expect?: ReadonlyMap<string, Expected>;
}

/** What a packed file must hold, and what to call it in a refusal. */
export interface Expected {
  sha256: string;
  size: number;
  what: string;
}

export interface WrittenBundle {
  entries: number;
  bytes: number;
  sha256: string;
}

function refuse(summary: string, hint = 'Check the repository folder; nothing was written.'): never {
  throw new UpdateError('invalid-input', summary, { hint });
}

/** The header of a file of `size` bytes, encoded by node-tar (a pax header first for a long name). */
function memoryHead(path: string, size: number): Buffer {
  const block = Buffer.alloc(BLOCK);
  const needPax = new Header({ path, mode: 0o644, size, mtime: BUNDLE_MTIME, type: 'File' }).encode(block, 0);
  return needPax ? Buffer.concat([new Pax({ path, mtime: BUNDLE_MTIME }).encode(), block]) : block;
}

/** A header and padded data for an in-memory file. */
function memoryEntry(path: string, data: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
  data.copy(padded);
  return Buffer.concat([memoryHead(path, data.length), padded]);
}

/** Opens a file to pack: a symlink or a missing file swapped in since the names were listed is refused, never followed. */
function openToPack(abs: string, want: Expected | undefined): number {
  try {
    return openSync(abs, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UpdateError(want ? 'not-found' : 'invalid-input', `${want?.what ?? abs} is missing`, { hint: 'The repository is incomplete: publish the level again; nothing was written.' });
    }
    if (code === 'ELOOP') refuse(`${abs} is not a regular file (a bundle holds regular files only)`);
    return refuse(`${abs} cannot be read as a regular file (${code ?? (err as Error).message})`);
  }
}

/**
 * One on-disk file: node-tar's header (as for an in-memory file), then the bytes, read once, straight into the sink
 * (synchronous reads from the page cache: no thread-pool hop per piece) and, when `want` names them, hashed on the
 * way (issue 22: create-update hashed every blob, read it again to pack it, then read the whole archive back). A
 * file that is not `want`, or not the size it had when the header was written, is refused and nothing is left (the
 * caller removes the temporary archive).
 */
async function diskEntry(abs: string, path: string, want: Expected | undefined, sink: ArchiveSink, one: Buffer): Promise<void> {
  const fd = openToPack(abs, want);
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) refuse(`${abs} is not a regular file (a bundle holds regular files only)`);
    if (want) checkSize(want.what, want.size, st.size);
    await sink.put(memoryHead(path, st.size));
    const hash = want ? createHash('sha256') : null;
    let left = st.size;
    while (left > 0) {
      if (sink.room === 0) await sink.flush();
      const n = readSync(fd, sink.buf, sink.fill, Math.min(sink.room, left), null);
      if (n === 0) break;
      hash?.update(sink.buf.subarray(sink.fill, sink.fill + n));
      sink.fill += n;
      left -= n;
    }
    if (left !== 0 || readSync(fd, one, 0, 1, null) !== 0) {
      throw new UpdateError('io', `${abs} changed size while it was being written to the bundle`, { hint: 'Stop whatever is changing the repository and run again; nothing was written.' });
    }
    if (want && hash) checkHash(want.what, want.sha256, hash.digest('hex'));
    await sink.zeros((BLOCK - (st.size % BLOCK)) % BLOCK);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes the bundle. Refuses (nothing written) unsafe names, duplicates, case twins and anything not a regular file.
 * The archive is published whole or not at all: written under a temporary name, read back there (`verify`), then
 * renamed over `out`, so a refusal or Ctrl-C leaves whatever `out` held before as it was. It is not fsynced (issue 22:
 * that was a third of create-update's time, the disk's and not the CPU's): like tar's or cp's output it reaches the
 * disk when the kernel writes it back, and a crash before that can leave a torn file at `out`, which every reader
 * refuses (a bundle is verified end to end when read: its tar structure, every target's signed length and sha256,
 * every blob's sha256), so it is made again, never trusted. Nothing else (no pack, no record) depends on it.
 */
export async function writeBundle(input: WriteBundleInput): Promise<WrittenBundle> {
  const extra = input.extra ?? {};
  const names = [...input.paths, ...Object.keys(extra)].sort(comparePaths);
  const folded = new Set<string>();
  for (const p of names) {
    assertSafePath(p, 'bundle entry');
    const f = foldPath(p);
    if (folded.has(f)) refuse(`bundle entry ${p} is listed twice (or twice in different case)`);
    folded.add(f);
  }
  const tmp = tempSibling(input.out);
  const handle = await open(tmp, 'wx', 0o644);
  const sink = new ArchiveSink(handle);
  const one = Buffer.alloc(1);
  let closed = false;
  try {
    for (const p of names) {
      if (input.signal?.aborted) throw new UpdateError('interrupted', `interrupted while writing ${input.out}; nothing was written`, { hint: 'Run the command again when ready.' });
      if (p in extra) await sink.put(memoryEntry(p, extra[p]));
      else await diskEntry(join(input.repoDir, p), p, input.expect?.get(p), sink, one);
    }
    await sink.zeros(2 * BLOCK); // the end-of-archive marker: two zero blocks
    const sha256 = await sink.end();
    closed = true;
    await handle.close();
    await input.verify?.(tmp);
    await rename(tmp, input.out);
    return { entries: names.length, bytes: sink.bytes, sha256 };
  } catch (err) {
    if (!closed) {
      await sink.settle();
      await handle.close().catch(() => undefined);
    }
    await rm(tmp, { force: true });
    throw err;
  }
}
