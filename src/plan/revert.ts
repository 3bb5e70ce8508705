// The revert plan, worked out in this one place: toward the previous generation, or through several (--to-level N),
// from the kept generations' records and the pack as it is now, with preconditions, actions and a digest like any
// plan, so that `show` renders it for review. Everything that reverts a committed update (`revert`, `apply FILE` of
// a revert plan, the health gate) derives it here and apply/revert.ts runs it; a drifted file is in the plan as it
// is now, so reviewing the plan is the --force. (Rolling back an update that waits on conflicts is no revert of a
// generation: nothing was committed; apply/rollback-waiting.ts undoes it from its journal.)
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { GenerationRecord, Manifest, Observed, PackState, Plan } from '../core/model.js';
import { comparePaths, parentsOf } from '../core/paths.js';
import { sameEntry } from '../core/pack-compare.js';
import { finishPlan } from '../core/plan/build.js';
import type { Decision } from '../core/plan/planner.js';
import { TOOL_VERSION } from '../core/version.js';
import { keptFile, keptManifestRel, readGeneration, type GenerationEntry, type GenerationFile } from '../io/generations.js';
import type { Pack } from '../io/pack.js';
import { observeMany } from '../io/tree.js';
import { parseJsonFile } from '../io/validate.js';

/** The newest kept update that brought the pack to `level` (a forced revert's own record only keeps drifted files). */
const updateTo = (state: PackState, level: number) => [...state.generations].reverse().find((x) => x.direction === 'update' && x.toLevel === level);

/** The refusal when no kept generation can be undone: plain `revert` and `--to-level` say it the same way. */
export const nothingToRevert = (why: string): UpdateError =>
  new UpdateError('usage', `nothing to revert: ${why}`, {
    hint: 'Nothing was changed. `wso2update status` lists the kept generations (only the last applies are kept: keepGenerations in state.json).',
  });

/** The refusal of a revert that would lose edits made since (one wording, whatever asked for the revert). */
export const driftRefusal = (paths: string[], to: number | undefined): UpdateError =>
  new UpdateError('stale-plan', `${paths.length} file(s) the update${to === undefined ? '' : 's'} wrote were changed since; ${to === undefined ? 'revert' : `reverting to level ${to}`} would lose those edits`, {
    paths, hint: `Nothing was reverted. Keep copies of your edits and run \`wso2update revert${to === undefined ? '' : ` --to-level ${to}`} --force\` (it keeps the edited files in a new generation).`,
  });

/** The generation a revert undoes: the update that brought the pack to its current level. */
export function lastUpdate(state: PackState): GenerationRecord {
  const g = updateTo(state, state.level);
  if (!g) throw nothingToRevert(`no kept generation brought the pack to level ${state.level}`);
  return g;
}

/**
 * The kept updates that `times` reverts undo, newest first: the newest update to the level reached, which that
 * revert then removes from the state. (Consuming each record is what makes the walk end: an update that did not
 * move the level, as empty applies once recorded, would otherwise be found forever.)
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

/** A revert worked out: the plan, and what running it needs that a plan file does not carry. */
export interface RevertDerivation {
  plan: Plan;
  /** The generations undone, newest first, with their records as read. */
  chain: { record: GenerationRecord; file: GenerationFile }[];
  /** Files the undone updates wrote that were edited since (in the plan only when forced). */
  drifted: string[];
  /** The manifest of the level reverted to (the oldest undone generation's kept copy). */
  manifest: Manifest;
  /** For each path the plan touches: the oldest undone generation's entry, whose kept copy restores it. */
  origin: Map<string, { generation: string; entry: GenerationEntry }>;
}

export interface RevertRequest {
  /** --to-level N; without it (and without `times`) the last update alone. */
  toLevel?: number;
  /** How many generations to undo (a reviewed plan names them); overrides `toLevel`. */
  times?: number;
  force: boolean;
  now: Date;
}

/**
 * The revert of this pack now. Each generation's files must be as it wrote them once the newer reverts have put
 * back what they kept (else drift: refused unless `force`); each path goes from what is there now to what the
 * oldest undone generation kept.
 */
export async function deriveRevert(pack: Pack, state: PackState, req: RevertRequest): Promise<RevertDerivation> {
  const times = req.times ?? (req.toLevel === undefined ? (lastUpdate(state), 1) : revertChain(state, req.toLevel));
  const records = chainRecords(state, times);
  if (records.length === 0) lastUpdate(state); // throws "nothing to revert"
  const now = new Map<string, Observed>();
  const expected = new Map<string, Observed>();
  const origin: RevertDerivation['origin'] = new Map();
  const drifted = new Set<string>();
  const chain: RevertDerivation['chain'] = [];
  for (const record of records) {
    const file = await readGeneration(pack, record.id);
    chain.push({ record, file });
    for (const [p, o] of await observeMany(pack.home, file.entries.filter((e) => !now.has(e.path)).map((e) => e.path), 16, pack.ops)) now.set(p, o);
    for (const e of file.entries) {
      if (!sameEntry(expected.get(e.path) ?? (now.get(e.path) as Observed), e.after)) drifted.add(e.path);
      expected.set(e.path, e.before);
      origin.set(e.path, { generation: record.id, entry: e });
    }
  }
  const drift = [...drifted].sort(comparePaths);
  if (drift.length > 0 && !req.force) throw driftRefusal(drift, req.toLevel);
  const decisions: Decision[] = [];
  for (const [path, before] of now) {
    const after = expected.get(path) as Observed;
    if (sameEntry(before, after)) continue;
    const modeOnly = before.kind === 'file' && after.kind === 'file' && before.sha256 === after.sha256;
    decisions.push({ path, action: after.kind === 'absent' ? 'remove' : before.kind === 'absent' ? 'add' : modeOnly ? 'chmod' : 'replace', before, after });
  }
  const observed = await observeMany(pack.home, new Set(decisions.flatMap((d) => parentsOf(d.path))), 16, pack.ops);
  const oldest = records[records.length - 1];
  const mfile = keptFile(pack.home, oldest.id, keptManifestRel);
  const manifest = parseJsonFile<Manifest>((await pack.ops.readFile(mfile)).toString('utf8'), mfile, 'manifest');
  const plan = finishPlan({
    meta: {
      toolVersion: TOOL_VERSION, createdAt: req.now.toISOString(), product: state.product, fromLevel: state.level, toLevel: oldest.fromLevel,
      repository: state.repository, manifests: { base: state.manifestDigest, target: digestOf(manifest) }, lineage: state.lineage, serial: state.serial,
      portable: false, direction: 'revert', revert: { generation: records[0].id, generations: records.map((r) => r.id) },
    },
    policy: 'stop', decisions, merges: new Map(), observed, notes: [],
  });
  return { plan, chain, drifted: drift, manifest, origin };
}

/** What a derived revert undoes, for the question before it and for `--dry-run`: `files` counts every path the undone updates wrote. */
export function revertPreview(d: RevertDerivation): { updates: number; fromLevel: number; toLevel: number; files: number; generations: string[] } {
  const paths = new Set(d.chain.flatMap((c) => c.file.entries.map((e) => e.path)));
  return { updates: d.chain.length, fromLevel: d.plan.fromLevel, toLevel: d.plan.toLevel, files: paths.size, generations: d.chain.map((c) => c.record.id) };
}
