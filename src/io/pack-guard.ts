// The one rule every write into a pack obeys: it lands inside the pack, and no folder between the pack's root and
// the file is a symlink (or anything but a real folder), whatever the records, plans or manifests that named the
// path say. `guardFs` checks it on every FsOps call the applier makes, so a forged journal, state or generation
// record can at worst be refused, never move, write or delete anything outside the pack. `assertOwnFolders` checks
// the tool's own folders before the first write of a run (the lock and the log included).
import { lstatSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { quote } from '../core/quote.js';
import type { FsOps } from './fsops.js';

/** Every folder a run of apply, revert or recover writes into, outermost first (pack-relative). */
export const OWN_FOLDERS = ['updates', 'updates/wso2update', 'updates/wso2update/staging', 'updates/wso2update/generations', 'updates/wso2update/cache', 'updates/logs'] as const;

function refuse(home: string, rel: string, what: string): UpdateError {
  return new UpdateError('hostile-path', `${quote(rel)} in the pack is ${what}; wso2update never writes through it`, {
    detail: home,
    paths: [rel],
    hint: 'Restore it as a real folder inside the pack (or move the link away) and run again; nothing was changed.',
  });
}

function kindAt(abs: string): 'absent' | 'dir' | 'symlink' | 'other' {
  const st = lstatSync(abs, { throwIfNoEntry: false });
  if (st === undefined) return 'absent';
  return st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';
}

/** Refuses (exit 1) when one of the tool's own folders is a symlink or not a folder; absent ones are fine. */
export function assertOwnFolders(home: string, folders: readonly string[] = OWN_FOLDERS): void {
  for (const rel of folders) {
    const k = kindAt(join(home, rel));
    if (k === 'symlink') throw refuse(home, rel, 'a symlink');
    if (k === 'other') throw refuse(home, rel, 'not a folder');
  }
}

/**
 * Checks one absolute path: inside `root`, and every existing folder from the root down to its parent a real
 * folder. Stops at the first missing one (nothing below it exists yet, so nothing below can be a link).
 */
export function assertInsidePack(root: string, abs: string): void {
  const rel = relative(root, resolve(abs));
  if (rel === '' ) return;
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
    throw new UpdateError('hostile-path', `${quote(abs)} is outside the pack ${quote(root)}; wso2update writes only inside it`, {
      hint: 'A record or plan named a path that escapes the pack: it was not written by a trustworthy wso2update; nothing was changed.',
    });
  }
  const segs = rel.split(sep);
  let cur = root;
  for (let i = 0; i < segs.length - 1; i++) {
    cur = join(cur, segs[i]);
    const k = kindAt(cur);
    if (k === 'absent') return;
    if (k === 'symlink') throw refuse(root, segs.slice(0, i + 1).join('/'), 'a symlink');
    if (k === 'other') throw refuse(root, segs.slice(0, i + 1).join('/'), 'not a folder');
  }
}

const GUARDED = Symbol('pack-guard');

/** Which arguments of each FsOps method are paths in the pack (symlink's first is the link text). */
const PATH_ARGS: Record<keyof FsOps, number[]> = {
  lstat: [0], readlink: [0], readFile: [0], readdir: [0], hashFile: [0], rename: [0, 1], mkdir: [0], rmdir: [0],
  unlink: [0], rmTree: [0], writeFile: [0], copyFile: [0, 1], link: [0, 1], symlink: [1], chmod: [0], fsyncFile: [0],
  fsyncDir: [0], freeBytes: [0],
};

/**
 * `inner` with every path checked by assertInsidePack first. The checks use lstat directly, not `inner`, so fault
 * injection (test/helpers/faults.ts) counts the same calls as before. Wrapping twice for the same pack is a no-op.
 */
export function guardFs(home: string, inner: FsOps): FsOps {
  const root = resolve(home);
  const marked = inner as FsOps & { [GUARDED]?: string };
  if (marked[GUARDED] === root) return inner;
  const out = { [GUARDED]: root } as unknown as Record<string, unknown>;
  for (const name of Object.keys(PATH_ARGS) as (keyof FsOps)[]) {
    const fn = inner[name] as (...a: unknown[]) => Promise<unknown>;
    const at = PATH_ARGS[name];
    out[name] = async (...args: unknown[]) => {
      for (const i of at) assertInsidePack(root, String(args[i]));
      return fn.apply(inner, args);
    };
  }
  return out as unknown as FsOps;
}
