// Revert is a plan toward the previous generation, run by the same executor: each path the update changed gets
// back what the generation kept (hard-linked from files/<path>), paths it added are removed with the folders it
// created, and the state, manifest copy, config.json and changelog return to what they were.
import { join } from 'node:path';
import { changelogName } from '../core/changelog.js';
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { GenerationRecord, Manifest, Observed, PackState } from '../core/model.js';
import { sameEntry } from '../core/pack-compare.js';
import type { FsOps } from '../io/fsops.js';
import { guardFs } from '../io/pack-guard.js';
import { assertPending } from '../io/pending-run.js';
import { readState } from '../io/state.js';
import { observeMany } from '../io/tree.js';
import { parseJsonFile } from '../io/validate.js';
import { runJob, type ApplyHooks, type ApplyOutcome } from './executor.js';
import { generationDir, newState, readGeneration, restoreSource, revertIdentity, verifyKept } from './generations.js';
import type { ApplyJob, GenerationFile, Item } from './job.js';
import { keptManifestRel, keptStateRel } from './commit-files.js';
import { revertWaitingJob } from './revert-waiting.js';
import { checkJournal } from './record-check.js';
import { layoutOf } from './steps.js';
import { openPack } from '../io/pack.js';

/** The newest kept update that brought the pack to `level` (a forced revert's own record only keeps drifted files). */
const updateTo = (state: PackState, level: number) => [...state.generations].reverse().find((x) => x.direction === 'update' && x.toLevel === level);

/** The refusal when no kept generation can be undone: plain `revert` and `--to-level` say it the same way. */
export const nothingToRevert = (why: string): UpdateError =>
  new UpdateError('usage', `nothing to revert: ${why}`, {
    hint: 'Nothing was changed. `wso2update status` lists the kept generations (only the last applies are kept: keepGenerations in state.json).',
  });

/** The generation a revert undoes: the update that brought the pack to its current level. */
export function lastUpdate(state: PackState) {
  const g = updateTo(state, state.level);
  if (!g) throw nothingToRevert(`no kept generation brought the pack to level ${state.level}`);
  return g;
}

async function keptChangelog(ops: FsOps, home: string, genDir: string, g: GenerationFile): Promise<Item[]> {
  const path = changelogName(g.fromLevel, g.toLevel);
  const now = (await observeMany(home, [path], 1, ops)).get(path) as Observed;
  if (now.kind === 'absent') return [];
  const kept = join(genDir, 'files', path);
  const st = await ops.lstat(kept);
  if (st === null) return [{ path, before: now, after: { kind: 'absent' }, source: null }];
  const { sha256, size } = await ops.hashFile(kept);
  const after: Observed = { kind: 'file', sha256, size, mode: '0644' };
  return [{ path, before: now, after, source: restoreSource(genDir, path, after) }];
}

/**
 * The hotfixes applied before the reverted apply, from the state record it kept: reverting a hotfix drops it, and
 * reverting an update that retired hotfixes brings them back with the files the kept manifest copy lists. A
 * generation that kept no state record (older ones) undoes at most its own hotfix.
 */
async function withKeptHotfixes(ops: FsOps, genDir: string, state: PackState, undone: GenerationRecord): Promise<PackState> {
  const file = join(genDir, 'files', keptStateRel);
  const { hotfixes: now, ...rest } = state;
  const kept = (await ops.lstat(file)) === null
    ? (now ?? []).filter((h) => h.id !== undone.hotfix)
    : parseJsonFile<PackState>((await ops.readFile(file)).toString('utf8'), file, 'state').hotfixes ?? [];
  return kept.length > 0 ? { ...rest, hotfixes: kept } : rest;
}

export async function revertJob(home: string, ops: FsOps, opts: { force: boolean; now: Date }): Promise<{ job: ApplyJob; drifted: string[] }> {
  const state = await readState(openPack(home, ops));
  const record = lastUpdate(state);
  const genDir = generationDir(home, record.id);
  const g = await readGeneration(ops, home, record.id);
  const seen = await observeMany(home, g.entries.map((e) => e.path), 16, ops);
  const drifted = g.entries.filter((e) => !sameEntry(seen.get(e.path) as Observed, e.after)).map((e) => e.path);
  if (drifted.length > 0 && !opts.force) {
    throw new UpdateError('stale-plan', `${drifted.length} file(s) the update wrote were changed since; revert would lose those edits`, {
      paths: drifted, hint: 'Keep copies of your edits and run `wso2update revert --force` (it keeps the edited files in a new generation).',
    });
  }
  const mfile = join(genDir, 'files', keptManifestRel);
  const manifest = parseJsonFile<Manifest>((await ops.readFile(mfile)).toString('utf8'), mfile, 'manifest');
  const items: Item[] = g.entries
    .filter((e) => !sameEntry(seen.get(e.path) as Observed, e.before))
    .map((e) => ({ path: e.path, before: seen.get(e.path) as Observed, after: e.before, source: restoreSource(genDir, e.path, e.before), prune: e.created }));
  await verifyKept(ops, items);
  items.push(...(await keptChangelog(ops, home, genDir, g)));
  const pre = Object.fromEntries(items.map((it) => [it.path, it.before]));
  const { id, planDigest } = revertIdentity(state, record.id, g.fromLevel, g.toLevel);
  const keep = drifted.length > 0;
  const rec = { id, fromLevel: g.toLevel, toLevel: g.fromLevel, planDigest, committedAt: opts.now.toISOString(), direction: 'revert' as const };
  const { state: made, drop } = newState(state, rec, digestOf(manifest), { remove: [record.id], keepRecord: keep });
  const next = await withKeptHotfixes(ops, genDir, made, record);
  return {
    drifted,
    job: {
      home, planDigest: rec.planDigest, direction: 'revert', product: state.product, fromLevel: g.toLevel, toLevel: g.fromLevel, generation: id,
      preconditions: pre, items, conflicts: [],
      commit: {
        state: next, manifest, drop, keepOwnGeneration: keep, changelog: null,
        generation: { formatVersion: 1, id, planDigest: rec.planDigest, direction: 'revert', product: state.product, fromLevel: g.toLevel, toLevel: g.fromLevel, entries: [] },
      },
    },
  };
}

/** Reverts one generation; from the waiting state of a `stop` apply, rolls that apply back instead. */
export async function revertOnce(home: string, unguarded: FsOps, opts: { force: boolean; now: Date; hooks?: ApplyHooks }): Promise<ApplyOutcome & { drifted: string[] }> {
  const ops = guardFs(home, unguarded);
  const { journal } = await assertPending(openPack(home, ops), ['none', 'waiting']);
  if (journal) await checkJournal(ops, layoutOf(home, journal.generation), journal);
  const { job, drifted } = journal ? await revertWaitingJob(home, ops, journal, opts) : await revertJob(home, ops, opts);
  return { ...(await runJob(job, { ops, repo: null, hooks: opts.hooks })), drifted };
}

/**
 * The kept updates that `times` reverts undo, newest first, each as revertOnce will find it: the newest update to
 * the level reached, which that revert then removes from the state. (Consuming each record is what makes the walk
 * end: an update that did not move the level, as empty applies once recorded, would otherwise be found forever.)
 */
export function chainRecords(state: PackState, times: number): GenerationRecord[] {
  let left = state;
  const out: GenerationRecord[] = [];
  for (let i = 0; i < times; i++) {
    const g = updateTo(left, left.level);
    if (!g) break;
    out.push(g);
    left = { ...left, level: g.fromLevel, generations: left.generations.filter((x) => x !== g) };
  }
  return out;
}

/** How many reverts `--to-level N` takes, checked before anything is reverted. */
export function revertChain(state: PackState, to: number): number {
  if (to === state.level) throw nothingToRevert(`the pack is already at level ${to}`);
  if (to > state.level) throw new UpdateError('usage', `level ${to} is not below the current level ${state.level}`, { hint: 'Nothing was changed. To go up, run `wso2update plan --level N`.' });
  let left = state;
  let steps = 0;
  while (left.level > to) {
    const g = updateTo(left, left.level);
    if (!g || g.fromLevel < to) {
      throw new UpdateError('usage', `cannot revert to level ${to}: no kept generation leads from level ${left.level} down to it`, {
        hint: `Nothing was changed. Kept: ${state.generations.map((x) => `${x.fromLevel}->${x.toLevel}`).join(', ') || 'none'}.`,
      });
    }
    left = { ...left, level: g.fromLevel, generations: left.generations.filter((x) => x !== g) };
    steps += 1;
  }
  return steps;
}

/** What `times` reverts would undo, for the question before them and for `--dry-run`. */
export async function revertPreview(home: string, ops: FsOps, state: PackState, times: number): Promise<{ updates: number; fromLevel: number; toLevel: number; files: number; generations: string[] }> {
  const records = chainRecords(state, times);
  if (records.length === 0) lastUpdate(state); // throws "nothing to revert"
  const paths = new Set<string>();
  for (const r of records) for (const e of (await readGeneration(ops, home, r.id)).entries) paths.add(e.path);
  return { updates: records.length, fromLevel: state.level, toLevel: records.at(-1)?.fromLevel ?? state.level, files: paths.size, generations: records.map((r) => r.id) };
}
