// Swaps a new file (an executable or the code bundle) in for the one at `target`, keeping the old one as
// `<target>.previous` until the next successful run. On POSIX the old file is hard-linked to .previous and the new
// one renamed over it, so `target` names a complete file at every instant (a running executable keeps its inode).
// Windows cannot rename over a running executable: the old one is renamed aside first (the one gap; see README).
import { constants } from 'node:fs';
import { access, copyFile, link, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { fsyncDir } from '../io/atomic.js';
import { isOurs } from './identity.js';

export const previousOf = (target: string): string => `${target}.previous`;
/** The points of a swap where a test may stop the process (kill -9 at each must leave a working target). */
export const SWAP_POINTS = ['staged', 'kept-previous', 'swapped'] as const;
export type SwapPoint = (typeof SWAP_POINTS)[number];

export interface SwapOptions {
  /** Rename the old file aside before the new one goes in: Windows, where a running executable cannot be replaced. */
  aside?: boolean;
  pause?: (point: SwapPoint) => Promise<void>;
  /** The hard link that keeps the old file (a seam: tests make it fail as a file system without hard links does). */
  link?: (from: string, to: string) => Promise<void>;
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

/** Refuses before anything is downloaded when the folder cannot take new files (a read-only bin/). */
export async function assertWritableDir(dir: string, what: string): Promise<void> {
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new UpdateError('io', `cannot update ${what}: ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'denied'})`, {
      hint: 'Nothing was changed and this wso2update still works. Make the folder writable for the user that runs it, or pass --no-self-update (WSO2UPDATE_NO_SELF_UPDATE=1).',
      cause: err,
    });
  }
}

/** Removes downloads that a killed self-update left under atomic.ts's temporary names beside `target`. */
export async function clearStaleDownloads(target: string): Promise<void> {
  const prefix = `.${basename(target)}.`;
  for (const name of await readdir(dirname(target)).catch(() => [] as string[])) {
    if (name.startsWith(prefix) && name.endsWith('.tmp')) await rm(join(dirname(target), name), { force: true });
  }
}

/**
 * The old file kept as .previous: renamed aside (Windows), else hard-linked, else (a file system without hard links:
 * FAT, some network shares) copied; `target` stays complete throughout. A failure is one clear error, `target` as it was.
 */
async function keepPrevious(target: string, previous: string, o: SwapOptions): Promise<void> {
  // A regular file that is not ours is WSO2's tool or the operator's: never replaced (a folder is refused below).
  if ((await stat(previous).catch(() => null))?.isFile() && !(await isOurs(previous))) {
    throw new UpdateError('usage', `${previous} is not a wso2update file (WSO2's own tool, say): a swap would replace it`, {
      hint: 'Nothing was changed. Move it out of the way (keep it: it may be the only copy), then run again.',
    });
  }
  try {
    await rm(previous, { force: true });
    if (o.aside) return await rename(target, previous);
    try {
      await (o.link ?? link)(target, previous);
    } catch {
      await copyFile(target, previous, constants.COPYFILE_EXCL);
    }
  } catch (err) {
    throw new UpdateError('io', `cannot keep ${target} as ${basename(previous)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      detail: (err as Error).message,
      hint: `Nothing was changed and this wso2update still works. Move ${previous} away (it must be a file or absent) and make ${dirname(target)} writable, or pass --no-self-update (WSO2UPDATE_NO_SELF_UPDATE=1).`,
      cause: err,
    });
  }
}

/** `staged` (complete and fsynced, beside `target`) becomes `target`; the old `target`, if any, becomes .previous. */
export async function swapIn(target: string, staged: string, o: SwapOptions = {}): Promise<void> {
  const previous = previousOf(target);
  await o.pause?.('staged');
  if (await exists(target)) {
    try {
      await keepPrevious(target, previous, o);
    } catch (err) {
      await rm(staged, { force: true }); // the download is spent: the next run fetches it again
      throw err;
    }
  }
  await o.pause?.('kept-previous');
  await rename(staged, target);
  await fsyncDir(dirname(target));
  await o.pause?.('swapped');
}

/** Puts .previous back as `target` (a release that failed its check); with no .previous, `target` is removed. */
export async function rollBack(target: string): Promise<void> {
  const previous = previousOf(target);
  if (await exists(previous)) await rename(previous, target);
  else await rm(target, { force: true });
  await fsyncDir(dirname(target));
}

/**
 * After a successful run: the kept previous file is no longer needed. Only a file of ours is ever deleted: WSO2's own
 * tool carries the same name in bin/, and whatever put it at `.previous`, this cleanup must not be what loses it.
 */
export async function dropPrevious(target: string): Promise<boolean> {
  if (!(await exists(previousOf(target)))) return false;
  if (!(await isOurs(previousOf(target)))) return false;
  await rm(previousOf(target), { force: true });
  return true;
}
