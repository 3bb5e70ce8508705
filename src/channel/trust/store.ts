// The pack's trusted TUF metadata on disk (updates/wso2update/trust/): where it is and which versions it holds.
// Kept apart from client.ts so that `status` reads it without loading tuf-js.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Files tuf-js keeps, in the order they are committed (a root before what it signs, the timestamp before the rest). */
export const TRUSTED = ['root.json', 'timestamp.json', 'snapshot.json', 'targets.json'] as const;
export const hasPinnedRoot = (dir: string): boolean => existsSync(join(dir, 'root.json'));

/** The versions of the trusted roles (status shows them). */
export async function trustedVersions(dir: string): Promise<Record<string, { version: number; expires: string }>> {
  const out: Record<string, { version: number; expires: string }> = {};
  for (const name of TRUSTED) {
    const text = await readFile(join(dir, name), 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      const signed = (JSON.parse(text) as { signed: { version: number; expires: string } }).signed;
      out[name.replace('.json', '')] = { version: signed.version, expires: signed.expires };
    } catch {
      out[name.replace('.json', '')] = { version: -1, expires: 'unreadable' };
    }
  }
  return out;
}
