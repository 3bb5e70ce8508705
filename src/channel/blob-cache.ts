// Blobs fetched while planning (both sides of each merge, which are also the .original/.new of a text conflict)
// are kept in the pack, under updates/wso2update/cache/ (the pack handle's paths.cache), so that apply takes them
// from there instead of fetching them again (over HTTP(S), or out of a bundle or folder). Nothing in it is trusted:
// every use hashes it again, and an entry that does not match is deleted and fetched anew. Writes are best effort: a full disk never fails a plan.
import { constants, linkSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { copyFile, link, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import type { Sha256 } from '../core/model.js';
import { tempSibling } from '../io/atomic.js';
import { assertSha } from './blobs.js';
import { hashFile } from '../io/hash.js';


export class BlobCache {
  constructor(readonly dir: string) {}

  private path(sha: Sha256): string {
    assertSha(sha);
    return join(this.dir, sha);
  }

  private async drop(sha: Sha256): Promise<null> {
    await rm(this.path(sha), { force: true }).catch(() => undefined);
    return null;
  }

  /**
   * The blob's bytes if the cache holds them intact, else null. Read and kept on the calling thread (also put()): a
   * plan reads and keeps a few hundred small blobs, and the thread-pool round trips of each (stat, open, read,
   * close; mkdir, open, write, close, rename) were most of its waiting (issue 22).
   */
  async read(sha: Sha256, size: number): Promise<Buffer | null> {
    const file = this.path(sha); // a name that is not a sha256 is refused, not taken for a miss
    let st: ReturnType<typeof statSync>;
    try {
      st = statSync(file, { throwIfNoEntry: false });
    } catch {
      return null; // not reachable (a file where the folder should be, no permission): not kept
    }
    if (!st) return null;
    if (!st.isFile() || st.size !== size) return this.drop(sha);
    let data: Buffer | null = null;
    try {
      data = readFileSync(file);
    } catch {
      // unreadable: dropped below
    }
    return data !== null && sha256Hex(data) === sha ? data : this.drop(sha);
  }

  /**
   * Keeps verified bytes (the caller checked them); a failure only means the next use fetches again. `from`: the
   * file they were read from in a local folder repository, hard-linked instead of written when the file system
   * allows (one directory entry, no data written: 137 blobs cost a plan 1.3 ms instead of 6, and no dirty pages
   * for apply's fsyncs to flush). What is linked may differ from what was verified (the repository changed in
   * between): harmless, as every use of the cache hashes it again.
   */
  async put(sha: Sha256, data: Buffer, from?: string): Promise<void> {
    const file = this.path(sha);
    const tmp = tempSibling(file);
    try {
      mkdirSync(this.dir, { recursive: true });
      if (from !== undefined && this.linked(from, file)) return;
      writeFileSync(tmp, data, { flag: 'wx', mode: 0o600 });
      renameSync(tmp, file);
    } catch {
      try {
        rmSync(tmp, { force: true });
      } catch {
        // best effort, as above
      }
    }
  }

  /** Whether `from` is now kept at `file` by a hard link (an entry already there is replaced only by a copy). */
  private linked(from: string, file: string): boolean {
    try {
      // Only a regular file: link(2) does not follow a symlink, and a repository's symlink has no place in the pack
      // (one swapped in after this check is still only read through, and hashed, like any entry).
      if (!lstatSync(from).isFile()) return false;
      linkSync(from, file);
      return true;
    } catch {
      return false; // EXDEV (another file system), EPERM (protected hard links), EEXIST: a copy instead
    }
  }

  /** Keeps a verified file under its hash by a hard link (no copy); a failure only means the next use fetches again. */
  async keep(sha: Sha256, file: string): Promise<void> {
    // The link first, the folder only when it is missing: apply keeps every blob it downloads, and a mkdir before
    // each was one more thread-pool round trip per blob.
    try {
      await link(file, this.path(sha));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return; // EEXIST (kept already), EXDEV or no hard links: best effort
      try {
        await mkdir(this.dir, { recursive: true });
        await link(file, this.path(sha));
      } catch {
        // best effort, as above (ENOENT again: `file` itself is gone)
      }
    }
  }

  /** Copies the cached blob to `dest` (must not exist) and verifies the copy; false (nothing left at dest) if it cannot. */
  async copyTo(sha: Sha256, size: number, dest: string): Promise<boolean> {
    const st = await stat(this.path(sha)).catch(() => null);
    if (!st?.isFile() || st.size !== size) return false;
    try {
      await copyFile(this.path(sha), dest, constants.COPYFILE_EXCL);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await rm(dest, { force: true }).catch(() => undefined);
      return false;
    }
    const got = await hashFile(dest).catch(() => null);
    if (got?.sha256 === sha && got.size === size) return true;
    await rm(dest, { force: true });
    await this.drop(sha);
    return false;
  }
}
