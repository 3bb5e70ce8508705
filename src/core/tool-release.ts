// Tool releases on a channel: `tools/releases.json` (a signed TUF target) lists each release's version, the Node
// runtime and launcher contract it was built for, and its files, each stored (and signed) as tools/<version>/<name>.
// Choosing what a running executable should take is pure: the newest release above it, and the smallest download.
import { compareVersions } from './version.js';

export const TOOL_RELEASES_FILE = 'tools/releases.json';
export const toolFileRel = (version: string, name: string): string => `tools/${version}/${name}`;

export interface ToolFile { platform: string; sha256: string; size: number }
export interface ToolRelease { version: string; runtime: string; files: Record<string, ToolFile> }
export interface ToolReleases { formatVersion: 1; releases: ToolRelease[] }

/** What the running tool is: its version, the runtime its launcher gives (`node20.20.2-abi1`), its platform. */
export interface RunningTool { version: string; runtime: string; platform: string }

/** The download a self-update needs: the code bundle alone when the launcher can run it, else the executable. */
export interface ToolUpdate { release: ToolRelease; kind: 'code' | 'executable'; name: string; file: ToolFile }

export const CODE_PLATFORM = 'code';

/** Every signed file of the releases, with its sha256 (what sign.ts makes TUF targets of). */
export function toolTargets(r: ToolReleases): Array<{ path: string; sha256: string }> {
  return r.releases.flatMap((rel) => Object.entries(rel.files).map(([name, f]) => ({ path: toolFileRel(rel.version, name), sha256: f.sha256 })));
}

export const newestRelease = (r: ToolReleases): ToolRelease | null =>
  r.releases.reduce<ToolRelease | null>((best, x) => (best === null || compareVersions(x.version, best.version) > 0 ? x : best), null);

/**
 * The update for `running`, or null when no release is newer (an older or equal one is never taken: a channel that
 * serves an old list is already refused by TUF's versions, and this refuses going back within a list), or a reason
 * when the newest release has nothing for this platform.
 */
export function chooseUpdate(r: ToolReleases, running: RunningTool): ToolUpdate | null | string {
  const newest = newestRelease(r);
  if (!newest || compareVersions(newest.version, running.version) <= 0) return null;
  const entries = Object.entries(newest.files);
  const code = entries.find(([, f]) => f.platform === CODE_PLATFORM);
  if (code && newest.runtime === running.runtime) return { release: newest, kind: 'code', name: code[0], file: code[1] };
  const exe = entries.find(([, f]) => f.platform === running.platform);
  if (exe) return { release: newest, kind: 'executable', name: exe[0], file: exe[1] };
  return `release ${newest.version} has no executable for ${running.platform}${code ? ` and its code bundle needs runtime ${newest.runtime}, not ${running.runtime}` : ''}`;
}

/** WSO2's names for the update tool in <product-home>/bin, per platform (Node's platform and arch joined by a dash). */
/**
 * WSO2 ships its own update tool under the name our executable takes (bin/wso2update_linux, ...): `install` keeps
 * it under this name beside ours, never `.previous` (which self-update deletes after a successful run).
 */
export const keptWso2Name = (name: string): string => `${name}.wso2`;

export const EXECUTABLE_NAMES: Record<string, string> = {
  'linux-x64': 'wso2update_linux',
  'linux-arm64': 'wso2update_linux_arm64',
  'darwin-x64': 'wso2update_darwin',
  'win32-x64': 'wso2update_windows.exe',
};
