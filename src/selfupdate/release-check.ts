// The client's side of tool releases: the channel's signed tools/releases.json (read as a TUF target of the pack's
// trusted metadata, so a release its publisher did not sign, or an older list, is refused), the update it offers to
// the running tool, and its file downloaded beside the file it replaces, checked against its signed length and sha256.
import { chmod, rm } from 'node:fs/promises';
import { UpdateError } from '../core/errors.js';
import { chooseUpdate, TOOL_RELEASES_FILE, toolFileRel, type RunningTool, type ToolReleases, type ToolUpdate } from '../core/tool-release.js';
import { tempSibling } from '../io/atomic.js';
import { openTransport } from '../channel/open.js';
import type { Transport } from '../channel/transport.js';
import { refreshTrust, type TrustedTargets } from '../channel/trust/client.js';
import { hashedRel } from '../core/layout.js';
import { parseJsonFile } from '../io/validate.js';

export interface ToolChannel {
  /** The update for the running tool; null when it is the newest (or the channel has no tool releases). */
  update: ToolUpdate | null;
  /** Downloads the update's file to a hidden temporary name beside `target` and returns that name. */
  download(target: string): Promise<string>;
  close(): Promise<void>;
}

async function readReleases(trusted: TrustedTargets, location: string): Promise<ToolReleases | null> {
  if ((await trusted.info(TOOL_RELEASES_FILE)) === null) return null;
  const bytes = await trusted.read(TOOL_RELEASES_FILE, 'the tool release list');
  return parseJsonFile<ToolReleases>(bytes.toString('utf8'), `${location}/${TOOL_RELEASES_FILE}`, 'toolreleases');
}

async function fetchFile(transport: Transport, trusted: TrustedTargets, u: ToolUpdate, target: string): Promise<string> {
  const rel = toolFileRel(u.release.version, u.name);
  const signed = await trusted.info(rel);
  if (signed === null || signed.sha256 !== u.file.sha256 || signed.length !== u.file.size) {
    throw new UpdateError('verification', `${rel} is not signed as tools/releases.json lists it: nothing was changed`, { hint: 'Tell the publisher: the release list and its signed files disagree.' });
  }
  const tmp = tempSibling(target);
  try {
    await transport.fetchTo(hashedRel(rel, signed.sha256), tmp, { size: signed.length, sha256: signed.sha256, sync: true });
    // Transports create files 0644 (the folder one copies the publisher's mode): an executable must run after the swap.
    if (u.kind === 'executable') await chmod(tmp, 0o755);
  } catch (err) {
    await rm(tmp, { force: true });
    // The transports' words are about levels ("Re-publish the level"): a tool release is the publisher's other product.
    if (err instanceof UpdateError && err.code === 'verification') {
      throw new UpdateError('verification', `wso2update ${u.release.version} (${rel}): ${err.message}`, {
        hint: `Nothing was changed and this wso2update keeps working. Tell the publisher to publish the tool release again (publish-tool), or restore the repository; meanwhile run with --no-self-update.`,
        cause: err,
      });
    }
    throw err;
  }
  return tmp;
}

/**
 * Refreshes the pack's trust from `location` and reads what the channel offers `running`. `signal` bounds this
 * check (the downloads of an update found are not bounded by it).
 */
export async function openToolChannel(location: string, trustDir: string, running: RunningTool, signal?: AbortSignal): Promise<ToolChannel> {
  const transport = await openTransport(location);
  try {
    const trusted = await refreshTrust(transport, trustDir, signal);
    const releases = await readReleases(trusted, transport.location);
    const choice = releases === null ? null : chooseUpdate(releases, running);
    if (typeof choice === 'string') throw new UpdateError('not-found', `no update of wso2update for this machine: ${choice}`, { hint: 'Tell the publisher; this wso2update keeps working (--no-self-update skips the check).' });
    return {
      update: choice,
      download: (target) => fetchFile(transport, trusted, choice as ToolUpdate, target),
      close: async () => transport.close?.(),
    };
  } catch (err) {
    await transport.close?.();
    throw err;
  }
}
