// `mirror` of a signed channel's tool releases: tools/releases.json and the newest release's files (the only one a
// client takes), each checked against its signed length and sha256 while it streams and stored under its plain and
// hashed names, so packs adopted to the mirror update their wso2update from it. Older releases' files stay behind.
import { existsSync } from 'node:fs';
import { link, mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { newestRelease, TOOL_RELEASES_FILE, toolFileRel, type ToolReleases } from '../core/tool-release.js';
import { tempSibling, writeFileAtomic } from './atomic.js';
import { hashFile } from './hash.js';
import type { Transport } from './transport.js';
import type { TrustedTargets } from './trust/client.js';
import { hashedRel } from './trust/layout.js';
import { parseJsonFile } from './validate.js';

/** Copies what the source signs of its tool releases; returns the release copied, or null when it has none. */
export async function mirrorToolReleases(from: Transport, trusted: TrustedTargets, to: string, signal?: AbortSignal): Promise<string | null> {
  if ((await trusted.info(TOOL_RELEASES_FILE)) === null) return null;
  const listBytes = await trusted.read(TOOL_RELEASES_FILE, 'the tool release list');
  const newest = newestRelease(parseJsonFile<ToolReleases>(listBytes.toString('utf8'), `${from.location}/${TOOL_RELEASES_FILE}`, 'toolreleases'));
  if (newest === null) return null;
  for (const name of Object.keys(newest.files)) {
    const rel = toolFileRel(newest.version, name);
    const signed = await trusted.info(rel);
    if (signed === null) throw new UpdateError('verification', `${from.location}/${rel} is listed but not signed`, { hint: 'Tell the publisher; nothing of it was copied.' });
    const dest = join(to, hashedRel(rel, signed.sha256));
    if (existsSync(dest) && (await hashFile(dest)).sha256 === signed.sha256) continue;
    await mkdir(dirname(dest), { recursive: true });
    const tmp = tempSibling(dest);
    await from.fetchTo(hashedRel(rel, signed.sha256), tmp, { size: signed.length, sha256: signed.sha256, sync: true, signal });
    await rename(tmp, dest);
    await rm(join(to, rel), { force: true });
    await link(dest, join(to, rel));
  }
  await writeFileAtomic(join(to, hashedRel(TOOL_RELEASES_FILE, sha256Hex(listBytes))), listBytes);
  await writeFileAtomic(join(to, TOOL_RELEASES_FILE), listBytes);
  return newest.version;
}
