// The deterministic bundle writer: a plain (uncompressed) POSIX tar of repository files, made with node-tar's
// WriteEntry so that headers are node-tar's own. Same inputs, same bytes: entries sorted in code-unit order, portable
// headers (no uid/gid/uname/atime/ctime/dev/ino), one fixed mtime, mode 0644 for every entry (a bundle carries no
// modes: the signed manifests do), no directory entries, regular files only, and never a hard-link entry.
import { createWriteStream, lstatSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Header, Pax, WriteEntry } from 'tar';
import { UpdateError } from '../../core/errors.js';
import { assertSafePath, comparePaths, foldPath } from '../../core/paths.js';
import { fsyncDir, tempSibling } from '../../io/atomic.js';
import { hashFile } from '../../io/hash.js';

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
}

export interface WrittenBundle {
  entries: number;
  bytes: number;
  sha256: string;
}

function refuse(summary: string, hint = 'Check the repository folder; nothing was written.'): never {
  throw new UpdateError('invalid-input', summary, { hint });
}

/** A header and padded data for an in-memory file, encoded by node-tar (a pax header first for a long name). */
function memoryEntry(path: string, data: Buffer): Buffer {
  const block = Buffer.alloc(BLOCK);
  const needPax = new Header({ path, mode: 0o644, size: data.length, mtime: BUNDLE_MTIME, type: 'File' }).encode(block, 0);
  const pax = needPax ? new Pax({ path, mtime: BUNDLE_MTIME }).encode() : Buffer.alloc(0);
  const padded = Buffer.alloc(Math.ceil(data.length / BLOCK) * BLOCK);
  data.copy(padded);
  return Buffer.concat([pax, block, padded]);
}

/** One on-disk file through node-tar's WriteEntry; resolves when its bytes are all handed to `sink`. */
function diskEntry(repoDir: string, path: string, sink: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const entry = new WriteEntry(path, {
      cwd: repoDir,
      portable: true,
      strict: true,
      mtime: BUNDLE_MTIME,
      // A fresh link cache per entry: two names of one inode must both be stored as files, never as a Link entry.
      linkCache: new Map(),
      // The mode a reader would see is fixed (0644); the signed manifest is what gives installed files their mode.
      onWriteEntry: (e) => { if (e.stat) e.stat.mode = (e.stat.mode & ~0o7777) | 0o644; },
      onwarn: (_code, message) => reject(new UpdateError('io', `cannot add ${path} to the bundle: ${message}`)),
    });
    entry.on('error', reject);
    entry.on('data', (chunk: Buffer) => { if (!sink.write(chunk)) { entry.pause(); sink.once('drain', () => entry.resume()); } });
    entry.on('end', resolve);
  });
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
  const sink = createWriteStream(tmp, { flags: 'wx', mode: 0o644, flush: true });
  const closed = new Promise<void>((resolve, reject) => { sink.on('close', resolve); sink.on('error', reject); });
  try {
    for (const p of names) {
      if (input.signal?.aborted) throw new UpdateError('interrupted', `interrupted while writing ${input.out}; nothing was written`, { hint: 'Run the command again when ready.' });
      if (p in extra) sink.write(memoryEntry(p, extra[p]));
      else await diskEntry(input.repoDir, p, sink);
    }
    sink.end(Buffer.alloc(2 * BLOCK)); // the end-of-archive marker: two zero blocks
    await closed;
    const { sha256, size } = await hashFile(tmp);
    await rename(tmp, input.out);
    await fsyncDir(join(input.out, '..'));
    return { entries: names.length, bytes: size, sha256 };
  } catch (err) {
    sink.destroy();
    await closed.catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
}
