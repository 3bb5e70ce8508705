// The daily log WSO2's tool keeps (updates/logs/wso2update-DD-MM-YYYY.log): one line per event of apply, revert
// and recover, appended, with secret values masked so the log can be attached to a ticket.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { maskLine } from '../core/secrets.js';

const two = (n: number) => String(n).padStart(2, '0');

export function logFile(home: string, now: Date): string {
  return join(home, 'updates', 'logs', `wso2update-${two(now.getDate())}-${two(now.getMonth() + 1)}-${now.getFullYear()}.log`);
}

/** Appends `lines` stamped with `now`; logging never fails the command it records. */
export async function appendLog(home: string, now: Date, lines: string[]): Promise<void> {
  try {
    const file = logFile(home, now);
    await mkdir(join(home, 'updates', 'logs'), { recursive: true });
    const stamp = now.toISOString();
    await appendFile(file, lines.map((l) => `${stamp} ${maskLine(l, 'properties')}\n`).join(''));
  } catch {
    // A read-only updates/logs must not turn a successful apply into a failure.
  }
}
