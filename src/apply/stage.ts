// Staging: every new content is written into updates/wso2update/staging (same file system as the pack, so the
// swap is a rename), blobs verified while they still have their staging names, modes set, and then everything
// fsynced in one pass: no per-file write+fsync serialization, bounded concurrency, streaming copies.
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { parentsOf } from '../core/paths.js';
import type { FsOps } from '../io/fsops.js';
import type { Step } from '../io/pending-run.js';
import type { Repository } from '../channel/api.js';
import { pool } from '../io/tree.js';
import type { GenerationEntry } from '../io/generations.js';
import type { Item, Source } from './job.js';
import { stagedModes } from './modes.js';
import { assertRealParents, interrupted, type Layout } from './steps.js';

/** Staging a blob is the repository's job: it fetches (or takes from the pack's cache) and verifies. */
export type BlobSource = Pick<Repository, 'stageBlob' | 'parallelism'>;

export const sourceBytes = (s: Source | null): number =>
  s === null ? 0 : s.kind === 'blob' || s.kind === 'copy' ? s.size : s.kind === 'text' ? Buffer.byteLength(s.text) : 0;

/** An item with its journal step and its name in staging (the staged content, or where a discarded file goes). */
export interface Planned {
  item: Item;
  step: Step;
  staged: string | null;
}

/** What generation.json records of the planned items (discarded helpers are no part of it). */
export const entriesOf = (planned: readonly Planned[]): GenerationEntry[] =>
  planned.filter((p) => !p.item.discard).map((p) => ({ path: p.item.path, before: p.item.before, after: p.item.after, created: p.step.created }));

/**
 * Turns items into journal steps, in WSO2's order (removals first, then the rest by path), each named in staging by
 * `name()`. Works out which step creates which folders by simulating the run against what lstat sees now, and checks
 * that no parent is a symlink.
 */
export async function planSteps(ops: FsOps, l: Layout, items: readonly Item[], name: () => string): Promise<Planned[]> {
  const order = [...items.keys()].sort((a, b) => Number(items[b].source === null) - Number(items[a].source === null));
  const exists = new Map<string, boolean>();
  const isDir = async (rel: string): Promise<boolean> => {
    let known = exists.get(rel);
    if (known === undefined) exists.set(rel, (known = (await ops.lstat(join(l.home, rel))) !== null));
    return known;
  };
  const planned: Planned[] = [];
  const checked = new Set<string>(); // folders already seen to be real: this pass only reads, so once is enough
  for (const i of order) {
    const it = items[i];
    await assertRealParents(ops, l.home, it.path, checked);
    if (it.before.kind === 'dir' || it.before.kind === 'other') {
      throw new UpdateError('stale-plan', `${it.path} is a ${it.before.kind === 'dir' ? 'folder' : 'special file'}; wso2update replaces only files and symlinks`, { paths: [it.path] });
    }
    let created: string | null = null;
    if (it.source !== null) {
      for (const p of parentsOf(it.path)) {
        if (await isDir(p)) continue;
        created ??= p;
        exists.set(p, true);
      }
    }
    const staged = it.source !== null || it.discard ? name() : null;
    const step: Step = {
      path: it.path, aside: it.before.kind !== 'absent' && !it.discard, src: it.source === null ? null : staged, created,
      discardTo: it.discard ? staged : null, pruned: it.source === null ? it.prune ?? null : null,
    };
    planned.push({ item: it, step, staged });
  }
  return planned;
}

/** Folders inside the generation for every file moved aside (made before the journal; removed with it on rollback). */
export async function makeAsideDirs(ops: FsOps, l: Layout, steps: readonly Step[]): Promise<void> {
  const made = new Set<string>();
  for (const s of steps) {
    if (!s.aside) continue;
    for (const p of parentsOf(s.path)) {
      if (made.has(p)) continue;
      made.add(p);
      const abs = join(l.gen, 'files', p);
      if ((await ops.lstat(abs)) === null) await ops.mkdir(abs);
    }
  }
}

/** Stages one source at `dest`; `mode` is the source's mode as hardened by stagedModes (unused for symlinks). */
async function stageOne(ops: FsOps, repo: BlobSource | null, dest: string, s: Source, mode: number, onBytes: (n: number) => void): Promise<void> {
  switch (s.kind) {
    case 'blob':
      if (!repo) throw new UpdateError('internal', 'a blob to stage but no repository');
      await repo.stageBlob(s.sha256, s.size, dest, { onBytes });
      await ops.chmod(dest, mode);
      return;
    case 'text':
      return ops.writeFile(dest, s.text, mode);
    case 'symlink':
      return ops.symlink(s.target, dest);
    case 'copy':
      if (s.link) {
        try {
          return await ops.link(s.abs, dest);
        } catch {
          // Another file system or no hard links (EXDEV, EPERM): a copy does the same job, slower.
        }
      }
      await ops.copyFile(s.abs, dest);
      await ops.chmod(dest, mode);
  }
}

export interface StageProgress {
  (bytesDone: number, files: { done: number; total: number }): void;
}

/**
 * Stages every planned item with content and fsyncs them all, then the staging folder. Each file's fsync is
 * started as soon as it is staged and verified, so fsyncs overlap the copies still running instead of queueing
 * behind all of them; nothing is renamed anywhere until every one has finished.
 */
export async function stageAll(ops: FsOps, l: Layout, repo: BlobSource | null, planned: readonly Planned[], onBytes: StageProgress, isInterrupted: () => boolean): Promise<void> {
  const staged = planned.filter((p) => p.step.src !== null);
  const modes = await stagedModes(ops, l.home, staged.map((p) => p.item));
  let bytes = 0;
  const files = { done: 0, total: staged.length };
  // Blobs report their bytes as they arrive (a download); other sources when written.
  const arrived = (n: number) => { bytes += n; onBytes(bytes, files); };
  const write = pool(repo?.parallelism ?? 8);
  const sync = pool(16);
  for (const [i, { item: it, step }] of staged.entries()) {
    if (i % 32 === 0) await new Promise<void>((resolve) => setImmediate(resolve)); // lets a signal's handler run: see checkpoint()
    if (isInterrupted()) break;
    const dest = join(l.staging, step.src as string);
    await write.run(async () => {
      await stageOne(ops, repo, dest, it.source as Source, modes.get(it) ?? 0o644, arrived);
      files.done += 1;
      arrived(it.source?.kind === 'blob' ? 0 : sourceBytes(it.source));
      if (it.source?.kind !== 'symlink') await sync.run(() => ops.fsyncFile(dest));
    });
  }
  // Both pools are drained whatever fails, so that nothing is still running when the caller rolls back.
  let failure: { err: unknown } | null = null;
  await write.drain().catch((err) => { failure = { err }; });
  await sync.drain().catch((err) => { failure ??= { err }; });
  if (failure) throw (failure as { err: unknown }).err;
  if (isInterrupted()) throw interrupted();
  await ops.fsyncDir(l.staging);
}
