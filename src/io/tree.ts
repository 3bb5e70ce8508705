// The file tree adapter (TreeApi, declared below): walks a pack or a published tree, hashing files with bounded
// concurrency and streaming reads, so memory stays flat whatever the file sizes. Symlinks are recorded by their
// link text and never followed; anything else that is not a file or folder is an error naming the path.
import { lstatSync, readlinkSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Entry, Mode, Observed, Sha256 } from '../core/model.js';
import { RUNTIME_EXCLUDES } from '../core/model.js';
import { assertSafePath, comparePaths, isExcluded, parentsOf } from '../core/paths.js';
import { UpdateError } from '../core/errors.js';
import type { FsOps } from './fsops.js';
import { hashFile } from './hash.js';

/** What a scan of a tree yields per path (files and symlinks; directories are implied by their contents). */
export type TreeEntries = Map<string, Entry>;

export interface ScanOptions {
  /** Prefixes (`dir/`) or exact paths to leave out; RUNTIME_EXCLUDES by default. */
  excludes?: readonly string[];
  /** Parallel hashing (default 8). */
  concurrency?: number;
  /** Further paths to leave out (publish --exclude globs): true skips the path (a folder: all below it). */
  skip?: (rel: string, isDir: boolean) => boolean;
}

/** The signatures tree.ts provides (documented here so callers can be written against them). */
export interface TreeApi {
  /** lstat + (for files) sha256 of one pack-relative path under `home`; never follows symlinks. */
  observe(home: string, rel: string): Promise<Observed>;
  /** Many paths at once with bounded concurrency; result keyed by path. */
  observeMany(home: string, rels: Iterable<string>, concurrency?: number): Promise<Map<string, Observed>>;
  /** Walks `root` and hashes every file; symlinks recorded with their link text, never followed. */
  scanTree(root: string, opts?: ScanOptions): Promise<TreeEntries>;
  hashFile(abs: string): Promise<{ sha256: Sha256; size: number }>;
}

export { hashFile };

/** The reads observing a path makes. The applier passes its FsOps, so they count (and can fail) like its writes. */
export type PackReads = Pick<FsOps, 'lstat' | 'readlink' | 'hashFile'>;

const direct: PackReads = {
  lstat: async (p) => lstatSync(p, { throwIfNoEntry: false }) ?? null,
  readlink: async (p) => readlinkSync(p),
  hashFile,
};

// lstat and readlink are synchronous: a metadata call answered from the inode cache takes microseconds, while an
// async one waits tens of microseconds for a pool thread and a turn of the event loop. Reads stay in hash.ts.

/** Manifests know two modes: executable by its owner or not (WSO2 packs ship nothing else that matters). */
export const modeOf = (statMode: number): Mode => ((statMode & 0o100) !== 0 ? '0755' : '0644');

/** Runs tasks with at most `limit` in flight; `run` waits while the pool is full, which keeps the walk bounded too. */
export function pool(limit: number) {
  const inFlight = new Set<Promise<void>>();
  let failure: { err: unknown } | null = null;
  return {
    async run(task: () => Promise<void>): Promise<void> {
      while (inFlight.size >= limit) await Promise.race(inFlight);
      if (failure) throw failure.err;
      const p: Promise<void> = task().catch((err) => { failure ??= { err }; }).finally(() => inFlight.delete(p));
      inFlight.add(p);
    },
    async drain(): Promise<void> {
      await Promise.all(inFlight);
      if (failure) throw failure.err;
    },
  };
}

async function entryAt(abs: string, rel: string): Promise<Entry> {
  const st = lstatSync(abs);
  if (st.isSymbolicLink()) return { kind: 'symlink', target: readlinkSync(abs) };
  if (!st.isFile()) throw new UpdateError('io', `${rel} changed while it was being read`, { hint: 'Stop whatever writes to the tree and run again.' });
  const { sha256, size } = await hashFile(abs);
  return { kind: 'file', sha256, size, mode: modeOf(st.mode) };
}

export async function scanTree(root: string, opts: ScanOptions = {}): Promise<TreeEntries> {
  const excludes = opts.excludes ?? RUNTIME_EXCLUDES;
  const found = new Map<string, Entry>();
  const work = pool(opts.concurrency ?? 8);
  const walk = async (relDir: string): Promise<void> => {
    const dirents = await readdir(relDir ? join(root, relDir) : root, { withFileTypes: true });
    for (const d of dirents) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      if (isExcluded(rel, excludes) || opts.skip?.(rel, d.isDirectory())) continue;
      assertSafePath(rel, root);
      if (d.isDirectory()) await walk(rel);
      else if (d.isFile() || d.isSymbolicLink()) await work.run(async () => { found.set(rel, await entryAt(join(root, rel), rel)); });
      else {
        throw new UpdateError('invalid-input', `${join(root, rel)} is neither a file, a folder nor a symlink (a socket, fifo or device)`, {
          hint: 'Remove it from the tree, or leave it out with --exclude.', paths: [rel],
        });
      }
    }
  };
  try {
    await walk('');
  } finally {
    await work.drain().catch(() => undefined);
  }
  await work.drain();
  return new Map([...found.keys()].sort(comparePaths).map((k) => [k, found.get(k) as Entry]));
}

/** lstat of a path whose parents are known not to be symlinks; never follows anything. */
async function observeLeaf(abs: string, reads: PackReads): Promise<Observed> {
  const st = await reads.lstat(abs);
  if (st === null) return { kind: 'absent' };
  if (st.isSymbolicLink()) return { kind: 'symlink', target: await reads.readlink(abs) };
  if (st.isDirectory()) return { kind: 'dir' };
  if (!st.isFile()) return { kind: 'other' };
  return { kind: 'file', ...(await reads.hashFile(abs)), mode: modeOf(st.mode) };
}

/**
 * What is at `rel` under `home`. A parent that is a symlink or a file makes the path `other`: writing there would go
 * through the link (or fail), so the planner must treat it as a kind change. `parents` caches parent checks.
 */
export async function observe(home: string, rel: string, parents = new Map<string, Promise<Observed>>(), reads: PackReads = direct): Promise<Observed> {
  assertSafePath(rel, home);
  for (const p of parentsOf(rel)) {
    let seen = parents.get(p);
    if (!seen) parents.set(p, (seen = observeParent(join(home, p), reads)));
    const kind = (await seen).kind;
    if (kind === 'absent') return { kind: 'absent' };
    if (kind !== 'dir') return { kind: 'other' };
  }
  return observeLeaf(join(home, rel), reads);
}

async function observeParent(abs: string, reads: PackReads): Promise<Observed> {
  const st = await reads.lstat(abs);
  return st === null ? { kind: 'absent' } : st.isDirectory() ? { kind: 'dir' } : { kind: 'other' };
}

export async function observeMany(home: string, rels: Iterable<string>, concurrency = 8, reads: PackReads = direct): Promise<Map<string, Observed>> {
  const out = new Map<string, Observed>();
  const parents = new Map<string, Promise<Observed>>();
  const work = pool(concurrency);
  for (const rel of rels) await work.run(async () => { out.set(rel, await observe(home, rel, parents, reads)); });
  await work.drain();
  return new Map([...out.keys()].sort(comparePaths).map((k) => [k, out.get(k) as Observed]));
}

export const tree: TreeApi = { observe: (h, r) => observe(h, r), observeMany, scanTree, hashFile };
