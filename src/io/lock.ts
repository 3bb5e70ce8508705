// The one-updater-at-a-time lock (updates/wso2update/lock, created with O_EXCL, holding the owner's pid) and the
// running-product check (<home>/wso2carbon.pid). A lock whose pid is dead is stale (a killed run) and taken over;
// the journal, not the lock, is what tells a crashed run apart, so taking over is safe.
import { open, readFile, unlink, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { stateDir } from './state.js';

export const lockPath = (home: string): string => join(stateDir(home), 'lock');

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readPid(file: string): Promise<number | null> {
  try {
    const n = Number.parseInt((await readFile(file, 'utf8')).trim(), 10);
    return Number.isNaN(n) ? null : n;
  } catch {
    return null;
  }
}

export interface Lock {
  release(): Promise<void>;
}

/** Takes the lock or throws `busy` (exit 6) naming the holder. */
export async function acquireLock(home: string): Promise<Lock> {
  const file = lockPath(home);
  await mkdir(stateDir(home), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(file, 'wx', 0o644);
      // No fsync: after a crash the journal says what happened, and a lock that lost its pid reads as stale.
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      let released = false;
      return {
        async release() {
          if (released) return;
          released = true;
          if ((await readPid(file)) === process.pid) await unlink(file).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw new UpdateError('io', `cannot create the lock ${file}: ${(err as Error).message}`, { cause: err });
      const holder = await readPid(file);
      if (holder !== null && pidAlive(holder) && holder !== process.pid) {
        throw new UpdateError('busy', `another wso2update (pid ${holder}) is working on this pack`, {
          detail: file,
          hint: 'Wait for it to finish. If no such run exists, the pid was reused: delete the lock file and retry.',
        });
      }
      // Stale: its owner is gone (killed). Remove it and try again once; a racing taker wins via O_EXCL.
      await unlink(file).catch(() => undefined);
    }
  }
  throw new UpdateError('busy', `another wso2update took the lock ${file} at the same time`, { hint: 'Retry in a moment.' });
}

/** Refuses while the product runs: a live process in <home>/wso2carbon.pid (exit 6). */
export async function assertNotRunning(home: string): Promise<void> {
  const file = join(home, 'wso2carbon.pid');
  const pid = await readPid(file);
  if (pid !== null && pidAlive(pid)) {
    throw new UpdateError('running', `the product is running (pid ${pid} in wso2carbon.pid)`, {
      detail: file,
      hint: 'Stop the server (bin/api-manager.sh stop or your service manager) and run the command again.',
    });
  }
}
