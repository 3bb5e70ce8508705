// `install --home PACK [--from DIR]`: puts this platform's single executable into PACK/bin/ under WSO2's name
// (wso2update_linux, wso2update_darwin, wso2update_windows.exe), written under a temporary name and renamed in.
// From the executable itself (and the newer code bundle it runs, if any), else from a built dist/release/.
// WSO2's own tool found under that name is kept beside it as `<name>.wso2` (keepWso2Tool).
import { existsSync } from 'node:fs';
import { chmod, copyFile, link, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { CODE_FILE } from '../core/code-bundle.js';
import { UpdateError } from '../core/errors.js';
import { EXECUTABLE_NAMES, keptWso2Name } from '../core/tool-release.js';
import { tempSibling } from '../io/atomic.js';
import { hashFile } from '../io/hash.js';
import { assertProductHome } from '../io/state.js';
import { isOurs } from './identity.js';
import type { LauncherInfo } from './launcher.js';
import { assertWritableDir } from './swap.js';
import { openPack } from '../io/pack.js';

/** What install needs of the running process, handed in by cli/ (only cli/ touches process). */
export interface InstallHost {
  /** The SEA launcher's record of itself; null under plain `node` (a checkout). */
  launcher: LauncherInfo | null;
  /** `<process.platform>-<process.arch>`: which of EXECUTABLE_NAMES is installed. */
  platform: string;
  /** A checkout's dist/release/, where `npm run dist` writes the executables (asked only when needed). */
  checkoutRelease: () => string;
}

export interface Installed { dest: string; bin: string; name: string; sha256: string; size: number; kept: string | null }

/** The executable (and code bundle) to copy: --from, else the running one, else the checkout's dist/release/. */
function sources(host: InstallHost, cwd: string, from: string | undefined, name: string): { exe: string; code: string | null } {
  const info = host.launcher;
  if (from === undefined && info) return { exe: info.exe, code: info.running === 'beside' ? info.codeFile : null };
  const dir = from !== undefined ? resolve(cwd, from) : host.checkoutRelease();
  return { exe: join(dir, name), code: null };
}

async function copyIn(src: string, dest: string): Promise<void> {
  const tmp = tempSibling(dest);
  try {
    await copyFile(src, tmp);
    await chmod(tmp, 0o755);
    await rename(tmp, dest);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * What `dest` holds that is not ours (WSO2's own tool, which every real pack ships under this name) is kept as
 * `<name>.wso2`, a hard link made before ours is renamed over the name, so it is never lost; returns that path.
 * A second foreign tool when one is kept already is refused rather than chosen between.
 */
async function keepWso2Tool(dest: string): Promise<string | null> {
  if (!existsSync(dest) || (await isOurs(dest))) return null;
  const kept = keptWso2Name(dest);
  if (existsSync(kept)) {
    if ((await hashFile(kept)).sha256 === (await hashFile(dest)).sha256) return kept;
    throw new UpdateError('usage', `${dest} is not wso2update, and ${kept} (WSO2's tool kept by an earlier install) differs from it`, {
      hint: `Nothing was changed. Decide which WSO2 tool to keep: move one of them out of ${dirname(dest)}, then run install again.`,
    });
  }
  await link(dest, kept);
  return kept;
}

/** Installs the executable into `home`/bin/; `from` is --from as given, relative to `cwd`. */
export async function installTool(host: InstallHost, home: string, cwd: string, from: string | undefined): Promise<Installed> {
  assertProductHome(openPack(home));
  const name = EXECUTABLE_NAMES[host.platform];
  if (!name) throw new UpdateError('usage', `no single executable is built for ${host.platform}`, { hint: `Built: ${Object.keys(EXECUTABLE_NAMES).join(', ')}. Run \`node bin/wso2update.js\` from a checkout instead.` });
  const src = sources(host, cwd, from, name);
  if (!existsSync(src.exe)) throw new UpdateError('not-found', `${src.exe} does not exist`, { hint: 'Build it first (`npm run dist`), or pass --from DIR with the built executables.' });
  const bin = join(home, 'bin');
  await assertWritableDir(bin, `${bin}/${name}`);
  const dest = join(bin, name);
  if (resolve(src.exe) === resolve(dest)) throw new UpdateError('usage', `${dest} is the running executable itself`, { hint: 'It is already installed there.' });
  const kept = await keepWso2Tool(dest);
  await copyIn(src.exe, dest);
  if (src.code) await copyIn(src.code, join(bin, CODE_FILE));
  const { sha256, size } = await hashFile(dest);
  return { dest, bin, name, sha256, size, kept };
}
