// A process's start time as the kernel records it, so that a lock or pid file naming a pid can be told apart from
// an unrelated process that was later given the same pid. Linux only (/proc/<pid>/stat); elsewhere null, and
// callers fall back to "the pid exists".
import { readFileSync } from 'node:fs';

/**
 * Field 22 of /proc/<pid>/stat (start time in clock ticks since boot), as text, or null when unknown. The second
 * field (the command name) may hold spaces and parentheses, so fields are counted after its last ')'.
 */
export function processStartTime(pid: number): string | null {
  if (!Number.isSafeInteger(pid) || pid <= 0) return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state), so field 22 is rest[19].
  const start = rest[19];
  return start !== undefined && /^\d+$/.test(start) ? start : null;
}
