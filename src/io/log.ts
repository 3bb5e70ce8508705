// The daily log WSO2's tool keeps (updates/logs/wso2update-DD-MM-YYYY.log): one line per event of apply, revert
// and recover, appended, with secret values masked so the log can be attached to a ticket.
import { constants } from 'node:fs';
import { appendFile, lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { maskLine } from '../core/secrets.js';
import { assertOwnFolders } from './pack-guard.js';

const two = (n: number) => String(n).padStart(2, '0');

export function logFile(home: string, now: Date): string {
  return join(home, 'updates', 'logs', `wso2update-${two(now.getDate())}-${two(now.getMonth() + 1)}-${now.getFullYear()}.log`);
}

/** Appends `lines` stamped with `now`; logging never fails the command it records. */
export async function appendLog(home: string, now: Date, lines: string[]): Promise<void> {
  try {
    const file = logFile(home, now);
    // Never through a symlinked updates/ or updates/logs: the line would land outside the pack.
    assertOwnFolders(home, ['updates', 'updates/logs']);
    if ((await lstat(join(home, 'updates')).catch(() => null)) === null) return;
    await mkdir(join(home, 'updates', 'logs')).catch((err: NodeJS.ErrnoException) => { if (err.code !== 'EEXIST') throw err; });
    assertOwnFolders(home, ['updates/logs']);
    const stamp = now.toISOString();
    // O_NOFOLLOW: a log file replaced by a symlink is not followed either.
    await appendFile(file, lines.map((l) => `${stamp} ${maskLine(l, 'properties')}\n`).join(''), { flag: constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, mode: 0o644 });
  } catch {
    // A read-only updates/logs must not turn a successful apply into a failure.
  }
}
