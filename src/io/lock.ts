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
// Only the claim's holder can replace the stale content, and only the live owner can remove its own lock. A claim
// is itself a lock on that one replacement: one left by a taker that died is taken over by the same protocol (a
// claim on the claim), so a crash in that window cannot block the pack forever.
//
// When in doubt, a lock is held: a file naming a pid in a form this version does not know (no start time, a start
// it cannot read, a pid as a string) is held while that pid runs, and one naming no process at all is held until
// the operator removes it (the message names the file). Only an empty file is stale: our lock is never visible
// empty (it is linked into place whole), so an empty one is what a machine crash leaves of an unsynced write.
import { link, readFile, readdir, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { Pack } from './pack.js';


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

/**
 * What a lock file says of its holder: a process (start null when the file does not give a start this version can
 * compare), nobody at all (`empty`: stale), or something unreadable (`unknown`: held, when in doubt).
 */
type Named = Holder | 'empty' | 'unknown';

function parseHolder(raw: string): Named {
  if (raw.trim() === '') return 'empty';
  const bare = /^\s*(\d{1,10})\s*$/.exec(raw); // older versions wrote the bare pid
  if (bare) return pidOf(bare[1]) === null ? 'unknown' : { pid: pidOf(bare[1]) as number, start: null };
  try {
    const v = JSON.parse(raw) as { pid?: unknown; start?: unknown } | null;
    const pid = pidOf(v?.pid);
    if (pid === null) return 'unknown';
    const start = typeof v?.start === 'string' && /^\d{1,20}$/.test(v.start) ? v.start : null;
    return { pid, start };
  } catch {
    return 'unknown';
  }
}

function pidOf(v: unknown): number | null {
  const n = typeof v === 'string' && /^\d{1,10}$/.test(v) ? Number(v) : v;
  return Number.isSafeInteger(n) && (n as number) > 0 ? (n as number) : null;
}

async function readHolder(file: string): Promise<{ raw: string; holder: Named } | null> {
  try {
    const raw = await readFile(file, 'utf8');
    return { raw, holder: parseHolder(raw) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

const same = (a: Named | null, b: Holder): boolean => a !== null && typeof a === 'object' && a.pid === b.pid && a.start === b.start;
/** The claim on replacing the content `raw` of `file` (a lock, or a claim left by a dead taker). */
const claimName = (file: string, raw: string): string => `${file}.takeover-${Buffer.from(raw).toString('hex').slice(0, 96)}`;
/** Claims on claims: one taker that died holding a claim is taken over; two in a row need the operator. */
const MAX_DEPTH = 2;

function busy(h: Named | null, file: string, lock: string): UpdateError {
  const who = file === lock
    ? h !== null && typeof h === 'object' ? `another wso2update (pid ${h.pid}) is working on this pack` : 'the lock of this pack names no process wso2update can check'
    : h !== null && typeof h === 'object' ? `another wso2update (pid ${h.pid}) is taking over the lock of this pack` : 'a takeover claim on the lock of this pack names no process wso2update can check';
  const doubt = h === null || typeof h !== 'object';
  return new UpdateError('busy', `${who}: ${file}`, {
    detail: doubt ? 'Its content is not a lock this version wrote, so it is taken as held.' : undefined,
    hint: doubt ? `If no wso2update runs on this pack, delete ${file} and run the command again.` : 'Wait for it to finish and run the command again.',
  });
}

export interface Lock {
  release(): Promise<void>;
}

/** Takes the lock or throws `busy` (exit 6) naming the holder. The state folder must exist (checked by the caller). */
export async function acquireLock(pack: Pack, owner: LockOwner): Promise<Lock> {
  const file = pack.paths.lock;
  const me: Holder = { pid: owner.pid, start: owner.start };
  const tmp = join(pack.paths.own, `lock.${owner.pid}.${Math.random().toString(36).slice(2)}.tmp`);
  // No fsync: after a crash the journal says what happened, and a lock whose owner is gone is stale anyway.
  await writeFile(tmp, text(me), { flag: 'wx', mode: 0o644 });
  try {
    try {
      await link(tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      await takeOver(file, tmp, owner, file, 0);
    }
  } catch (err) {
    if (err instanceof UpdateError) throw err;
    throw new UpdateError('io', `cannot create the lock ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
  await sweepClaims(pack, owner);
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

/**
 * `file` (the lock, or at depth > 0 a claim on it) exists: busy unless its owner is gone; then replace exactly that
 * stale content, holding its own takeover claim (taken the same way when a dead taker left one).
 */
async function takeOver(file: string, tmp: string, owner: LockOwner, lock: string, depth: number): Promise<void> {
  const seen = await readHolder(file);
  if (seen === null) {
    // Released a moment ago: one more exclusive attempt, and a racer that wins it is simply the holder.
    try {
      await link(tmp, file);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      throw busy((await readHolder(file))?.holder ?? null, file, lock);
    }
  }
  const h = seen.holder;
  if (h === 'unknown' || (h !== 'empty' && (same(h, { pid: owner.pid, start: owner.start }) || owner.isAlive(h.pid, h.start)))) throw busy(h, file, lock);
  if (depth >= MAX_DEPTH) throw busy(h, file, lock);
  const claim = claimName(file, seen.raw);
  // The claim is linked from its own copy of this run's holder, so that `tmp` is still there for the rename below.
  const mine = `${tmp}.${depth}`;
  await link(tmp, mine);
  try {
    try {
      await link(mine, claim);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      // Another taker holds the claim on this stale content, or died holding it: then take that claim over.
      await takeOver(claim, mine, owner, lock, depth + 1);
    }
  } finally {
    await unlink(mine).catch(() => undefined);
  }
  try {
    const now = await readHolder(file);
    // Only the claim's holder may replace this content, so it cannot change between this read and the rename.
    if (now === null || now.raw !== seen.raw) throw busy(now?.holder ?? null, file, lock);
    await rename(tmp, file);
  } finally {
    await unlink(claim).catch(() => undefined);
  }
}

/** Takeover claims left by takers that died holding them; only the lock's holder removes them. */
async function sweepClaims(pack: Pack, owner: LockOwner): Promise<void> {
  const dir = pack.paths.own;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (!name.startsWith(`${basename(pack.paths.lock)}.takeover-`)) continue;
    // The lock's holder removes every claim but a live taker's (which fails its own check and goes by itself).
    const h = (await readHolder(join(dir, name)).catch(() => null))?.holder ?? null;
    if (h === null || typeof h !== 'object' || !owner.isAlive(h.pid, h.start)) await unlink(join(dir, name)).catch(() => undefined);
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
