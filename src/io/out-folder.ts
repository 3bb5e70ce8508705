// A folder a command writes into (`mirror --to`): absent (it is made), or a folder. Checked before anything is read
// from the network, so a wrong path is one clear line and exit 1, never a raw EEXIST/ENOTDIR after a long copy.
import { lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { UpdateError } from '../core/errors.js';

/** stat, or undefined when nothing is there (ENOENT, or ENOTDIR: a file on the way, which the walk up names). */
function statOf(p: string): ReturnType<typeof statSync> {
  try {
    return statSync(p, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw err;
  }
}

export function assertOutFolder(dir: string, flag: string): void {
  const st = statOf(dir);
  if (st !== undefined) {
    if (st.isDirectory()) return;
    throw new UpdateError('usage', `${flag} ${dir} is a file, not a folder`, { hint: `Give ${flag} a folder (it is made when missing); nothing was written.` });
  }
  if (statOf(dirname(dir))?.isDirectory() && lstatSync(dir, { throwIfNoEntry: false })?.isSymbolicLink()) {
    throw new UpdateError('usage', `${flag} ${dir} is a symlink to nothing`, { hint: `Remove the dangling link or give ${flag} another folder; nothing was written.` });
  }
  // Missing: every existing folder above it must be a folder (a file on the way would fail the mkdir half-way).
  for (let up = dirname(dir); up !== dirname(up); up = dirname(up)) {
    const above = statOf(up);
    if (above === undefined) continue;
    if (above.isDirectory()) return;
    throw new UpdateError('usage', `${flag} ${dir} cannot be made: ${up} is a file`, { hint: `Give ${flag} a folder path; nothing was written.` });
  }
}
