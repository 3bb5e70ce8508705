// `publish-tool`: a tool release built by `npm run dist` (its release.json, executables and code bundle) copied into
// a signed channel as tools/<version>/<name> and listed in tools/releases.json; the caller then signs, so every file
// is a TUF target with its length and sha256. Releases only go forward: a version at or below the newest is refused.
import { copyFile, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { newestRelease, TOOL_RELEASES_FILE, toolFileRel, type ToolRelease, type ToolReleases } from '../core/tool-release.js';
import { compareVersions } from '../core/version.js';
import { writeFileAtomic, tempSibling } from '../io/atomic.js';
import { hashFile } from '../io/hash.js';
import { readToolReleases } from './tool-releases.js';
import { parseJsonFile } from '../io/validate.js';

export const RELEASE_FILE = 'release.json';

/** The release in `from`, each file checked against release.json (a half-copied dist/release/ is refused). */
async function readBuilt(from: string, version: string): Promise<ToolRelease> {
  const file = join(from, RELEASE_FILE);
  const text = await readFile(file, 'utf8').catch((err: Error) => {
    throw new UpdateError('usage', `cannot read ${file}: ${err.message}`, { hint: 'Build the release first (`npm run dist`), then pass its folder: --from dist/release', cause: err });
  });
  const release = parseJsonFile<ToolRelease>(text, file, 'toolrelease');
  if (release.version !== version) {
    throw new UpdateError('usage', `${from} holds release ${release.version}, not ${version}`, { hint: `Build ${version} (\`node scripts/dist.mjs --tool-version ${version}\`), or publish what was built with --release-version ${release.version}.` });
  }
  for (const [name, f] of Object.entries(release.files)) {
    const got = await hashFile(join(from, name)).catch(() => null);
    if (got === null || got.sha256 !== f.sha256 || got.size !== f.size) {
      throw new UpdateError('verification', `${join(from, name)} ${got === null ? 'is missing' : 'does not match release.json'}; nothing was published`, { hint: 'Build the release again: npm run dist' });
    }
  }
  return release;
}

/** Copies the release in and lists it; returns the release and the newest version before it. */
export async function addToolRelease(repo: string, from: string, version: string): Promise<{ release: ToolRelease; previous: string | null }> {
  const release = await readBuilt(from, version);
  const list: ToolReleases = (await readToolReleases(repo)) ?? { formatVersion: 1, releases: [] };
  const previous = newestRelease(list)?.version ?? null;
  if (previous !== null && compareVersions(version, previous) <= 0) {
    throw new UpdateError('usage', `the channel already has tool release ${previous}; ${version} is not newer, so clients would never take it (and downgrades are refused)`, {
      hint: 'Publish a higher version: releases only go forward.',
    });
  }
  for (const name of Object.keys(release.files)) {
    const dest = join(repo, toolFileRel(version, name));
    await mkdir(dirname(dest), { recursive: true });
    const tmp = tempSibling(dest);
    await copyFile(join(from, name), tmp);
    await rename(tmp, dest).catch(async (err: unknown) => {
      await rm(tmp, { force: true });
      throw err;
    });
  }
  list.releases.push(release);
  await mkdir(join(repo, dirname(TOOL_RELEASES_FILE)), { recursive: true });
  await writeFileAtomic(join(repo, TOOL_RELEASES_FILE), `${JSON.stringify(list, null, 1)}\n`);
  return { release, previous };
}
