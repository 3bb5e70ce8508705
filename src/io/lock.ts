// The one-updater-at-a-time lock (updates/wso2update/lock) and the running-product check (<home>/wso2carbon.pid).
// The lock file never exists without its owner: it is written whole under a temporary name, then hard-linked to
// `lock`, which fails when a lock is there (link never replaces), so no racer can read it empty and call it stale.
// It names the owner's pid and start time; it is stale only when that process is gone (a pid reused by another
// process has another start time). The journal, not the lock, tells a crashed run apart, so taking over is safe.
//
// Taking over a stale lock must not race either: two takers that both read the same dead owner must not both win,
// and neither may delete a lock a third has just taken. So a stale lock is never deleted: the taker first claims
// the right to replace that one lock (an exclusive link of `lock.takeover-<owner>`, a name derived from the dead
// owner), checks that `lock` still names that owner, and replaces it by a rename, so `lock` is never missing.
// Only the claim's holder can replace the stale content, and only the live owner can remove its own lock.
import { link, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { stateDir } from './state.js';

export const lockPath = (home: string): string => join(stateDir(home), 'lock');

/** Who takes the lock, and how to tell whether another owner still runs (the CLI builds it from `process`). */
export interface LockOwner {
  pid: number;
  /** The process's start time (processStartTime), or null where the platform cannot say. */
  start: string | null;
  /** Whether the process `pid` that started at `start` still runs (a null start: whether the pid exists). */
  isAlive(pid: number, start: string | null): boolean;
}

interface Holder {
  pid: number;
  start: string | null;
}

const text = (h: Holder): string => `${JSON.stringify({ pid: h.pid, start: h.start })}\n`;

/** The holder a lock file names; null for a file that names none (damaged, or another tool's). */
function parseHolder(raw: string): Holder | null {
  try {
    const v = JSON.parse(raw) as { pid?: unknown; start?: unknown };
    if (!Number.isSafeInteger(v.pid) || (v.pid as number) <= 0) return null;
    if (v.start !== null && (typeof v.start !== 'string' || !/^\d{1,20}$/.test(v.start))) return null;
    return { pid: v.pid as number, start: v.start as string | null };
  } catch {
    // Older versions wrote the bare pid.
    const m = /^(\d{1,10})\n?$/.exec(raw);
    return m ? { pid: Number(m[1]), start: null } : null;
  }
}

async function readHolder(file: string): Promise<{ raw: string; holder: Holder | null } | null> {
  try {
    const raw = await readFile(file, 'utf8');
    return { raw, holder: parseHolder(raw) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const same = (a: Holder | null, b: Holder): boolean => a !== null && a.pid === b.pid && a.start === b.start;
const claimName = (raw: string): string => `lock.takeover-${Buffer.from(raw).toString('hex').slice(0, 96)}`;

function busy(h: Holder | null, file: string): UpdateError {
  return new UpdateError('busy', h ? `another wso2update (pid ${h.pid}) is working on this pack` : 'another wso2update is taking over the lock of this pack', {
    detail: file,
    hint: 'Wait for it to finish and run the command again.',
  });
}

export interface Lock {
  release(): Promise<void>;
}

/** Takes the lock or throws `busy` (exit 6) naming the holder. The state folder must exist (checked by the caller). */
export async function acquireLock(home: string, owner: LockOwner): Promise<Lock> {
  const file = lockPath(home);
  const me: Holder = { pid: owner.pid, start: owner.start };
  const tmp = join(stateDir(home), `lock.${owner.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  // No fsync: after a crash the journal says what happened, and a lock whose owner is gone is stale anyway.
  await writeFile(tmp, text(me), { flag: 'wx', mode: 0o644 });
  try {
    try {
      await link(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await takeOver(home, file, tmp, owner);
    }
  } catch (err) {
    if (err instanceof UpdateError) throw err;
    throw new UpdateError('io', `cannot create the lock ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await sweepClaims(home, owner);
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      // Only this owner can have put its content there, and nobody replaces a live owner's lock.
      if (same((await readHolder(file).catch(() => null))?.holder ?? null, me)) await unlink(file).catch(() => undefined);
    },
  };
}

/** `lock` exists: busy unless its owner is gone; then replace exactly that stale lock, holding its takeover claim. */
async function takeOver(home: string, file: string, tmp: string, owner: LockOwner): Promise<void> {
  const seen = await readHolder(file);
  if (seen === null) {
    // Released a moment ago: one more exclusive attempt, and a racer that wins it is simply the holder.
    try {
      await link(tmp, file);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      throw busy((await readHolder(file))?.holder ?? null, file);
    }
  }
  const h = seen.holder;
  if (h !== null && (same(h, { pid: owner.pid, start: owner.start }) || owner.isAlive(h.pid, h.start))) throw busy(h, file);
  const claim = join(stateDir(home), claimName(seen.raw));
  try {
    await link(tmp, claim);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another taker holds the claim on this stale lock (or died holding it: `sweepClaims` of the next holder, or
    // the hint, clears it). Either way this run does not take the lock.
    throw busy(null, file);
  }
  try {
    const now = await readHolder(file);
    // Only the claim's holder may replace this content, so it cannot change between this read and the rename.
    if (now === null || now.raw !== seen.raw) throw busy(now?.holder ?? null, file);
    await rename(tmp, file);
  } finally {
    await unlink(claim).catch(() => undefined);
  }
}

/** Takeover claims left by takers that died holding them; only the lock's holder removes them. */
async function sweepClaims(home: string, owner: LockOwner): Promise<void> {
  const dir = stateDir(home);
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith('lock.takeover-')) continue;
    const h = (await readHolder(join(dir, name)).catch(() => null))?.holder ?? null;
    if (h === null || !owner.isAlive(h.pid, h.start)) await unlink(join(dir, name)).catch(() => undefined);
  }
}

/** Refuses while the product runs: a live process in <home>/wso2carbon.pid (exit 6). */
export async function assertNotRunning(home: string, owner: Pick<LockOwner, 'isAlive'>): Promise<void> {
  const file = join(home, 'wso2carbon.pid');
  const raw = await readFile(file, 'utf8').catch(() => null);
  const pid = raw === null ? Number.NaN : Number.parseInt(raw.trim(), 10);
  if (Number.isSafeInteger(pid) && pid > 0 && owner.isAlive(pid, null)) {
    throw new UpdateError('running', `the product is running (pid ${pid} in wso2carbon.pid)`, {
      detail: file,
      hint: 'Stop the server (bin/api-manager.sh stop or your service manager) and run the command again.',
    });
  }
}
