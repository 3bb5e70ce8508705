// Mode hardening for staged files. Manifests know only 0644 and 0755 (the owner-exec bit), so a file an operator
// locked down (`chmod 600 repository/conf/deployment.toml`: it holds passwords) looks like 0644 to the plan; a new
// file written with the plan's mode would make those secrets world-readable. Staging keeps the stricter bits.
import { join } from 'node:path';
import type { FsOps } from '../io/fsops.js';
import type { Item } from './job.js';

/**
 * The target mode without the group/other read and write bits the installed file lacks, and without group/other exec
 * where the matching read bit went. Never looser than the target; nothing installed (null): the target's mode.
 */
export function hardenedMode(target: number, installed: number | null): number {
  if (installed === null) return target;
  let r = target & ~(~installed & 0o066);
  if (!(r & 0o040)) r &= ~0o010;
  if (!(r & 0o004)) r &= ~0o001;
  return r;
}

/**
 * The mode each staged file gets: its source's, hardened by the regular file now at its path (lstat, since the plan's
 * modes are normalised). Read in one pass before staging, so a file added where nothing was keeps the target's mode,
 * and merged files and `.final` resolutions (whose path holds the user's file) are hardened alike.
 */
export async function stagedModes(ops: FsOps, home: string, items: readonly Item[]): Promise<Map<Item, number>> {
  const modes = new Map<Item, number>();
  for (const it of items) {
    const s = it.source;
    if (s === null || s.kind === 'symlink') continue;
    const target = Number.parseInt(s.mode, 8);
    const st = it.before.kind === 'file' ? await ops.lstat(join(home, it.path)) : null;
    modes.set(it, hardenedMode(target, st?.isFile() ? st.mode & 0o777 : null));
  }
  return modes;
}
