// TEST ONLY, and the one environment seam that lets the CLI tests stop a real process (the checkout's or the single
// executable) at an exact moment, to kill or interrupt it there. Nothing in apply/ knows of it: the pause points are
// file-system operations, seen through the pack's FsOps, which cli/apply-session.ts wraps here only when both
// variables are set. Never set them in production; without them nothing is wrapped and nothing pauses.
//
//   WSO2UPDATE_TEST_PAUSE_MARKER=<file>   written at the point; the process waits until the test deletes it
//   WSO2UPDATE_TEST_PAUSE_AT_STEP=<point> for a run that changes a pack (apply, revert, apply --continue, and the
//       health gate's revert): `staging` = once the files are staged and synced (the staging folder's first
//       fsync: no download is in flight), before the commit's own files are staged and before the journal exists;
//       n >= 1 = just after the n-th move or removal (rename, unlink, rmdir) counted from the journal's first
//       write (1: the journal is written, no step has run). Points end at the journal's deletion (the commit point),
//       so the last one is between the final interrupt check and the commit.
//   WSO2UPDATE_TEST_PAUSE_AT_SWAP=<point> self-update's swap (cli/self-update.ts)
import { existsSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { FsOps } from '../io/fsops.js';
import { packPaths } from '../io/pack.js';

/** Writes `marker` and waits until the test deletes it (or kills this process): woken by the folder's change events. */
export async function pauseAtMarker(marker: string, point: string): Promise<void> {
  writeFileSync(marker, point);
  await new Promise<void>((resume) => {
    const done = () => {
      if (existsSync(marker)) return;
      watcher.close();
      clearInterval(slow);
      resume();
    };
    const watcher = watch(dirname(marker), (_event, name) => { if (name === null || name === basename(marker)) done(); });
    // Some file systems drop change events: a slow look as well, so a missed event delays the test, never hangs it.
    const slow = setInterval(done, 250);
    done();
  });
}

/**
 * `inner`, pausing at the point WSO2UPDATE_TEST_PAUSE_AT_STEP names for the pack at `home`; `inner` itself when the
 * variables are not both set.
 */
export function pausingFs(env: Record<string, string | undefined>, home: string, inner: FsOps): FsOps {
  const raw = env.WSO2UPDATE_TEST_PAUSE_AT_STEP;
  const marker = env.WSO2UPDATE_TEST_PAUSE_MARKER;
  const at = raw === 'staging' ? 0 : Number(raw);
  if (!marker || raw === undefined || !Number.isInteger(at) || at < 0) return inner;
  const { journal, staging } = packPaths(home);
  let counted: number | null = -1; // -1: before the journal exists; then moves and removals since; null once it is deleted
  let stagedOnce = false;
  const point = async (n: number) => { if (n === at) await pauseAtMarker(marker, String(raw)); };
  /** After the staging folder's first fsync: point `staging`. */
  const staged = async (dir: string) => {
    if (at !== 0 || stagedOnce || dir !== staging) return;
    stagedOnce = true;
    await point(0);
  };
  /** After a move or removal: the journal's first write starts the count, its deletion ends it. */
  const moved = async (to: string | null, removed: string | null) => {
    if (counted === null) return;
    if (removed === journal) { counted = null; return; }
    if (counted === -1 && to !== journal) return;
    counted += counted === -1 ? 2 : 1;
    if (at > 0) await point(counted);
  };
  return {
    ...inner,
    rename: async (from, to) => { await inner.rename(from, to); await moved(to, null); },
    unlink: async (p) => { await inner.unlink(p); await moved(null, p); },
    rmdir: async (p) => { await inner.rmdir(p); await moved(null, p); },
    fsyncDir: async (p) => { await inner.fsyncDir(p); await staged(p); },
  };
}
