// Atomic file replacement: write a temporary sibling, fsync it, rename it over the target, fsync the folder.
// A crash leaves either the old file or the new one, never a torn mix (STYLE.md habit 6). Used for the
// repository index, state records and plan files.
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { HOST_PLATFORM, isWindows, type Platform } from './platform.js';

/**
 * fsyncs a file that is already written and closed. Windows flushes only through a handle with write access
 * (FlushFileBuffers on a read-only handle fails with EPERM, so every staged apply rolled back there); POSIX needs
 * none, and a file of mode 0444 could not be opened for writing by its non-root owner. Every file fsync goes here.
 */
export async function fsyncFile(path: string, plat: Platform = HOST_PLATFORM): Promise<void> {
  const fh = await open(path, isWindows(plat) ? 'r+' : 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** fsyncs a directory so that renames and creations inside it survive a crash. */
export async function fsyncDir(dir: string): Promise<void> {
  const fh = await open(dir, 'r');
  try {
    await fh.sync();
  } catch (err) {
    // Some file systems refuse fsync on a directory handle (EINVAL/EISDIR); the rename is then as durable as it gets.
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EINVAL' && code !== 'EISDIR' && code !== 'EPERM') throw err;
  } finally {
    await fh.close();
  }
}

/** A temporary name beside `path`, hidden and unique, so that a leftover is recognisable and never collides. */
export function tempSibling(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Whether `name` (a name in the folder of `path`) is one tempSibling(path) gives: a leftover of a killed writer. */
export function isTempSiblingName(name: string, path: string): boolean {
  const stem = `.${basename(path)}.`;
  return name.length === stem.length + 16 && name.startsWith(stem) && /^[0-9a-f]{12}\.tmp$/.test(name.slice(stem.length));
}

export async function writeFileAtomic(path: string, data: string | Uint8Array, opts: { mode?: number } = {}): Promise<void> {
  const tmp = tempSibling(path);
  const fh = await open(tmp, 'wx', opts.mode ?? 0o644);
  try {
    await fh.writeFile(data);
    // open()'s mode is masked by the umask; chmod makes the requested mode exact (plans must be 0600).
    if (opts.mode !== undefined) await fh.chmod(opts.mode);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await fsyncDir(dirname(path));
}
