// This process as a lock owner, and the liveness probe of other owners: the only place that asks the OS about
// processes (STYLE.md: only cli/ touches `process`). A pid that exists but started at another time than the one
// recorded was reused by an unrelated process, so its owner is gone.
import type { LockOwner } from '../io/lock.js';
import { processStartTime } from '../io/proc.js';

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
function pidExists(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isAlive(pid: number, start: string | null): boolean {
  if (!pidExists(pid)) return false;
  if (start === null) return true;
  const now = processStartTime(pid);
  return now === null || now === start;
}

export function processOwner(): LockOwner {
  return { pid: process.pid, start: processStartTime(process.pid), isAlive };
}
