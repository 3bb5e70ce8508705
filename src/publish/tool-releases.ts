// The publisher's view of a channel's tool releases (tools/releases.json in a repository folder): read and
// validated, and listed as TUF targets for sign.ts. A channel without tool releases has no such file.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TOOL_RELEASES_FILE, toolTargets, type ToolReleases } from '../core/tool-release.js';
import { parseJsonFile } from '../io/validate.js';

export async function readToolReleases(repo: string): Promise<ToolReleases | null> {
  const file = join(repo, TOOL_RELEASES_FILE);
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  return text === null ? null : parseJsonFile<ToolReleases>(text, file, 'toolreleases');
}

/** The release list itself (sha256 null: it is checked by its own bytes) and every release file, for signing. */
export async function toolReleaseTargets(repo: string): Promise<Array<{ path: string; sha256: string | null }>> {
  const releases = await readToolReleases(repo);
  return releases === null ? [] : [{ path: TOOL_RELEASES_FILE, sha256: null }, ...toolTargets(releases)];
}
