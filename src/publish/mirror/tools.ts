// `mirror` of a signed channel's tool releases: tools/releases.json and the newest release's files (the only one a
// client takes), each checked against its signed length and sha256 while it streams and stored under its plain and
// hashed names, so packs adopted to the mirror update their wso2update from it. Older releases' files stay behind.
import { sha256Hex } from '../../core/canonical.js';
import { UpdateError } from '../../core/errors.js';
import { newestRelease, TOOL_RELEASES_FILE, toolFileRel, type ToolReleases } from '../../core/tool-release.js';
import type { MirrorCopy } from './copy.js';
import type { Transport } from '../../channel/transport.js';
import type { TrustedTargets } from '../../channel/trust/client.js';
import { hashedRel } from '../../core/layout.js';
import { parseJsonFile } from '../../io/validate.js';

/** Copies what the source signs of its tool releases; returns the release copied, or null when it has none. */
export async function mirrorToolReleases(from: Transport, trusted: TrustedTargets, copy: MirrorCopy, signal?: AbortSignal): Promise<string | null> {
  if ((await trusted.info(TOOL_RELEASES_FILE)) === null) return null;
  const listBytes = await trusted.read(TOOL_RELEASES_FILE, 'the tool release list');
  const newest = newestRelease(parseJsonFile<ToolReleases>(listBytes.toString('utf8'), `${from.location}/${TOOL_RELEASES_FILE}`, 'toolreleases'));
  if (newest === null) return null;
  for (const name of Object.keys(newest.files)) {
    const rel = toolFileRel(newest.version, name);
    const signed = await trusted.info(rel);
    if (signed === null) throw new UpdateError('verification', `${from.location}/${rel} is listed but not signed`, { hint: 'Tell the publisher; nothing of it was copied.' });
    const hashed = hashedRel(rel, signed.sha256);
    if ((await copy.present(hashed, signed.sha256)) && (await copy.present(rel, signed.sha256))) continue;
    await copy.fetch(from, hashed, { size: signed.length, sha256: signed.sha256 }, signal);
    await copy.alias(rel, hashed);
  }
  await copy.stage(hashedRel(TOOL_RELEASES_FILE, sha256Hex(listBytes)), listBytes);
  await copy.stage(TOOL_RELEASES_FILE, listBytes);
  return newest.version;
}
