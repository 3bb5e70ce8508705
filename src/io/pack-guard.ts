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
 * `abs` as an absolute, normalized path (so `root` + sep + the path's segments), or null when it is not inside
 * `root`. Most calls name a path that is already so, and skip path.resolve/relative (a quarter of the swap's time).
 */
function normalizedInside(root: string, abs: string): string | null {
  const plain = abs.length > root.length + 1 && abs.startsWith(root) && abs[root.length] === sep && !root.endsWith(sep)
    && !/[\\/]\.{0,2}(?:[\\/]|$)/.test(abs.slice(root.length)) && (sep === '/' || !abs.includes('/'));
  if (plain) return abs;
  const rel = relative(root, resolve(abs));
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return null;
  return rel === '' ? root : join(root, rel);
}

/**
 * Checks one absolute path: inside `root`, and every existing folder from the root down to its parent a real
 * folder. Stops at the first missing one (nothing below it exists yet, so nothing below can be a link). `known`:
 * folders already seen to be real by the same guard (guardFs), skipped; each folder seen real is added to it.
 */
export function assertInsidePack(root: string, abs: string, known?: Set<string>): void {
  const full = normalizedInside(root, abs);
  if (full === null) {
    throw new UpdateError('hostile-path', `${quote(abs)} is outside the pack ${quote(root)}; wso2update writes only inside it`, {
      hint: 'A record or plan named a path that escapes the pack: it was not written by a trustworthy wso2update; nothing was changed.',
    });
  }
  const from = root.endsWith(sep) ? root.length : root.length + 1;
  for (let i = full.indexOf(sep, from); i !== -1; i = full.indexOf(sep, i + 1)) {
    const cur = full.slice(0, i);
    if (known?.has(cur)) continue;
    const k = kindAt(cur);
    if (k === 'absent') return;
    if (k !== 'dir') throw refuse(root, cur.slice(from).split(sep).join('/'), k === 'symlink' ? 'a symlink' : 'not a folder');
    known?.add(cur);
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
 * Operations that can take a folder away (and so let something else, a symlink, take its name). A rename or unlink
 * does so only when its first path is a folder, which the guard looks at (lstat) before the call.
 */
const REMOVES_FOLDERS = new Set<keyof FsOps>(['rmdir', 'rmTree']);
const MAY_REMOVE_FOLDER = new Set<keyof FsOps>(['rename', 'unlink']);

/**
 * `inner` with every path checked by assertInsidePack first. The checks use lstat directly, not `inner`, so fault
 * injection (test/helpers/faults.ts) counts the same calls as before. Wrapping twice for the same pack is a no-op.
 *
 * A folder seen to be real stays known as real for the guard's life (a run), so that the 600 renames of a swap do
 * not lstat `updates/`, `updates/wso2update/` and every folder above each file again and again (20,000 lstats on
 * the bench's update). A real folder can only stop being one by being removed first, and within a run the pack is
 * changed by this guard's operations alone (the lock keeps other updaters out; the product is stopped): so the
 * guard forgets every folder it knows before and after each operation that can remove one. Forgetting all (not
 * just the path named) is what keeps this sound where two names reach one folder (case-folding file systems,
 * Windows short names). The applier still checks a pack path's parents afresh at each step (steps.ts).
 */
export function guardFs(home: string, inner: FsOps): FsOps {
  const root = resolve(home);
  const marked = inner as FsOps & { [GUARDED]?: string };
  if (marked[GUARDED] === root) return inner;
  const known = new Set<string>();
  const out = { [GUARDED]: root } as unknown as Record<string, unknown>;
  for (const name of Object.keys(PATH_ARGS) as (keyof FsOps)[]) {
    const fn = inner[name] as (...a: unknown[]) => Promise<unknown>;
    const at = PATH_ARGS[name];
    out[name] = async (...args: unknown[]) => {
      for (const i of at) assertInsidePack(root, String(args[i]), known);
      const removes = REMOVES_FOLDERS.has(name) || (MAY_REMOVE_FOLDER.has(name) && kindAt(String(args[0])) === 'dir');
      if (!removes) return fn.apply(inner, args);
      known.clear();
      try {
        return await fn.apply(inner, args);
      } finally {
        known.clear(); // a check made while it ran may have seen the folder still there
      }
    };
  }
  return out as unknown as FsOps;
}
