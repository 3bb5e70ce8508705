// The deterministic bundle writer: a plain (uncompressed) POSIX tar of repository files, with node-tar's own headers
// (Header, Pax). Same inputs, same bytes: entries sorted in code-unit order, portable
// headers (no uid/gid/uname/atime/ctime/dev/ino), one fixed mtime, mode 0644 for every entry (a bundle carries no
// modes: the signed manifests do), no directory entries, regular files only, and never a hard-link entry.
import { constants, lstatSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { Header, Pax } from 'tar';
import { UpdateError } from '../../core/errors.js';
import { assertSafePath, comparePaths, foldPath } from '../../core/paths.js';
import { fsyncDir, fsyncFile, tempSibling } from '../../io/atomic.js';
import { checkHash, checkSize } from '../../channel/verify-bytes.js';

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
  /** The archive to write; replaced atomically (a temporary sibling, fsync, rename). */
  out: string;
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

/** Writes to the temporary archive in order, hashing every byte on the way: the digest needs no read-back. */
class HashingSink {
  private readonly hash = createHash('sha256');
  bytes = 0;
  constructor(private readonly handle: FileHandle) {}

  async write(chunk: Uint8Array): Promise<void> {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    for (let off = 0; off < chunk.length;) off += (await this.handle.write(chunk, off, chunk.length - off)).bytesWritten;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

const CHUNK = 1 << 20;

/**
 * One on-disk file: node-tar's header (as for an in-memory file), then the bytes, read once in 1 MiB pieces and, when
 * `want` names them, hashed on the way (issue 22: create-update hashed every blob, then read it again to pack it, then
 * read the whole archive back). A file that is not `want`, or not the size it had when the header was written, is
 * refused and nothing is left (the caller removes the temporary archive).
 */
async function diskEntry(abs: string, path: string, want: Expected | undefined, sink: HashingSink, buf: Buffer): Promise<void> {
  // A symlink or a missing file swapped in since the names were checked is refused as they are, never followed.
  const file = await open(abs, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0))
    .catch((err: NodeJS.ErrnoException) => refuse(`${abs} ${err.code === 'ENOENT' ? 'is missing' : `cannot be read as a regular file (${err.code ?? err.message})`}`));
  try {
    const st = await file.stat();
    if (!st.isFile()) refuse(`${abs} is not a regular file (a bundle holds regular files only)`);
    if (want) checkSize(want.what, want.size, st.size);
    await sink.write(memoryHead(path, st.size));
    const hash = want ? createHash('sha256') : null;
    let left = st.size;
    while (left > 0) {
      const { bytesRead } = await file.read(buf, 0, Math.min(CHUNK, left), null);
      if (bytesRead === 0) break;
      const piece = buf.subarray(0, bytesRead);
      hash?.update(piece);
      await sink.write(piece);
      left -= bytesRead;
    }
    if (left !== 0 || (await file.read(buf, 0, 1, null)).bytesRead !== 0) {
      throw new UpdateError('io', `${abs} changed size while it was being written to the bundle`, { hint: 'Stop whatever is changing the repository and run again; nothing was written.' });
    }
    if (want && hash) checkHash(want.what, want.sha256, hash.digest('hex'));
    await sink.write(Buffer.alloc((BLOCK - (st.size % BLOCK)) % BLOCK));
  } finally {
    await file.close();
  }
}

/** Writes the bundle. Refuses (nothing written) unsafe names, duplicates, case twins and anything not a regular file. */
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
  for (const p of input.paths) {
    const st = lstatSync(join(input.repoDir, p), { throwIfNoEntry: false });
    if (!st) refuse(`${join(input.repoDir, p)} is missing`, 'The repository is incomplete: publish the level again.');
    if (!st.isFile()) refuse(`${join(input.repoDir, p)} is not a regular file (a bundle holds regular files only)`);
  }
  const tmp = tempSibling(input.out);
  const handle = await open(tmp, 'wx', 0o644);
  const sink = new HashingSink(handle);
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    for (const p of names) {
      if (input.signal?.aborted) throw new UpdateError('interrupted', `interrupted while writing ${input.out}; nothing was written`, { hint: 'Run the command again when ready.' });
      if (p in extra) await sink.write(memoryEntry(p, extra[p]));
      else await diskEntry(join(input.repoDir, p), p, input.expect?.get(p), sink, buf);
    }
    await sink.write(Buffer.alloc(2 * BLOCK)); // the end-of-archive marker: two zero blocks
    await handle.close();
    await fsyncFile(tmp);
    await rename(tmp, input.out);
    await fsyncDir(join(input.out, '..'));
    return { entries: names.length, bytes: sink.bytes, sha256: sink.digest() };
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}
