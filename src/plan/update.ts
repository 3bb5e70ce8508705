// Making a plan of a pack: planPack is the one skeleton (state, repository, observe only the paths the change
// touches, pathsToInspect, never the whole pack; read the three texts of each merge; hand all to the pure planner),
// and a TheirsSource says what the target is: a published level here (makePlan), a hotfix in plan/hotfix.ts.
// derive and verifiedBase are shared with apply's re-derivation. Observation and file reads are injectable so tests
// can prove what planning touches.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import type { AppliedHotfix, ConflictPolicy, Descriptor, HotfixFate, Manifest, Observed, PackState, Plan, PlanDisplay } from '../core/model.js';
import { collectDiffs, DIFF_SOURCE_MAX, displayDiff, isDiffableName } from '../core/plan-display.js';
import { effectiveBase, guardHotfixes } from '../core/hotfix.js';
import { finishPlan, type MergeOutcome } from '../core/plan/build.js';
import { mergeOutcome, unmergeableByName } from '../core/plan/merge.js';
import { changedPaths, decide, pathsToInspect } from '../core/plan/planner.js';
import { TOOL_VERSION } from '../core/version.js';
import { assertOwnFolders } from '../io/pack-guard.js';
import { openPackRepository, type PackRun } from '../channel/open.js';
import type { Pack } from '../io/pack.js';
import { modesAsSeen } from '../io/platform.js';
import { readState } from '../io/state.js';
import { assertPending } from '../io/pending-run.js';
import { observeMany } from '../io/tree.js';
import type { Repository } from '../channel/api.js';

export interface PlanDeps {
  observeMany: (home: string, rels: Iterable<string>) => Promise<Map<string, Observed>>;
  readInstalled: (home: string, rel: string) => Promise<Uint8Array>;
}

// The installed files of merges and review diffs are read on the calling thread: a few hundred small files, where
// each asynchronous read cost four thread-pool round trips (issue 22).
export const defaultDeps: PlanDeps = { observeMany: (h, r) => observeMany(h, r), readInstalled: async (h, r) => readFileSync(join(h, r)) };

/** What every plan of a pack is made with, whatever its target. */
export interface PackPlanOptions {
  /** The pack planned for (made once by the command, cli/). */
  pack: Pack;
  policy: ConflictPolicy;
  portable: boolean;
  /** The creation time (display only; not in the digest). */
  now: Date;
  deps?: Partial<PlanDeps>;
  /** Receives what reading the repository found worth a warning (paths that differ only in case or normalization). */
  warnings?: Diagnostic[];
  /**
   * Completes the run once the plan is made (the `plan` command writes its file) and says whether the verdicts on
   * the manifests checked are worth keeping (channel/checked-manifests.ts: apply and later plans then only parse
   * them). They are kept only after it returned true, so that a run refused at any point, one inside a command that
   * goes on (apply-update, the one-shot apply), or a plan that changes nothing leaves the pack exactly as it was.
   */
  finish?: (plan: Plan) => Promise<boolean>;
  /**
   * For a plan that is written for review (issue 23: the review page is made from the plan alone): who makes it and
   * where, read by the caller (cli/); a portable plan keeps none of them, so any builder makes the same plan, digest
   * included. Absent (a one-shot apply, whose plan nobody reviews as a file): no display fields, no blob read for them.
   */
  madeOn?: { host: string; packPath: string; madeBy: string };
}

export interface MakePlanOptions extends PackPlanOptions {
  /** Repository location; default: the one recorded at init. */
  repo?: string;
  /** Target level; default: the latest the repository has. */
  level?: number;
  /** An offline bundle whose metadata expired after it was made is accepted (channel/bundle/expiry.ts). */
  acceptExpiredBundle?: boolean;
  /** Keep no blob in the pack's cache (WSO2's --dry-run leaves no trace); apply then fetches them again. */
  noCache?: boolean;
}

/** Decisions whose review diff the plan carries: replaced and added regular files that may be text. */
function diffable(d: ReturnType<typeof decide>[number]): d is ReturnType<typeof decide>[number] & { action: 'add' | 'replace'; after: { kind: 'file'; sha256: string; size: number } } {
  return (d.action === 'add' || d.action === 'replace') && d.after.kind === 'file' && d.after.size <= DIFF_SOURCE_MAX
    && (d.action === 'add' || (d.before.kind === 'file' && d.before.size <= DIFF_SOURCE_MAX));
}

/**
 * The display fields: where and by whom (unless portable), and the text diff of every replaced or added text file
 * (the installed file is the base there, so it is read from the pack; the target from the repository, which keeps
 * it in the cache for apply). Binaries by name cost nothing: displayDiff refuses them before anything is read.
 */
async function displayOf(o: PackPlanOptions, deps: PlanDeps, repo: Repository, decisions: ReturnType<typeof decide>, levels: { from: number; to: number }): Promise<PlanDisplay | undefined> {
  if (!o.madeOn) return undefined;
  const diffs: [string, string][] = [];
  for (const d of decisions) {
    if (!diffable(d) || !isDiffableName(d.path)) continue;
    const after = await repo.readBlob(d.after.sha256, d.after.size);
    const before = d.action === 'replace' ? await deps.readInstalled(o.pack.home, d.path) : null;
    const diff = displayDiff(d.path, before, after, levels);
    if (diff) diffs.push([d.path, diff]);
  }
  const where = o.portable ? {} : o.madeOn;
  const textDiffs = collectDiffs(diffs);
  const display: PlanDisplay = { ...where, ...(Object.keys(textDiffs).length ? { textDiffs } : {}) };
  return Object.keys(display).length ? display : undefined;
}

/** "Theirs" as one kind of plan chooses it from the open repository: the one thing an update and a hotfix differ in. */
export interface Theirs {
  toLevel: number;
  /** The target manifest, given the pack's base as the repository vouches for it (verifiedBase). */
  target: (base: { manifest: Manifest; digest: string }) => Promise<{ manifest: Manifest; digest: string }> | { manifest: Manifest; digest: string };
  /** The hotfix the plan applies, named in it. */
  hotfix?: Plan['hotfix'];
}

/** Where a plan's "theirs" comes from: which repository to open for this pack, and what to take from it. */
export interface TheirsSource {
  run: (state: PackState) => PackRun;
  choose: (repo: Repository, state: PackState) => Promise<Theirs>;
}

/**
 * The one skeleton of every plan of a pack: no pending run, the tool's folders its own, the state, the pack's
 * repository opened as the source says, then the source's choice of theirs over the verified base, the paths it
 * changes observed (never the whole pack), derived (decisions, hotfix guard, merges) and finished into a plan.
 */
export async function planPack(o: PackPlanOptions, source: TheirsSource): Promise<Plan> {
  const deps: PlanDeps = { ...defaultDeps, ...o.deps };
  const { pack } = o;
  await assertPending(pack);
  // Planning writes into the pack too (the blob cache, the verdicts on manifests): never through a symlinked folder
  // of the tool's own.
  assertOwnFolders(pack.home, ['updates', 'updates/wso2update', 'updates/wso2update/cache', 'updates/wso2update/cache/checked']);
  const state = await readState(pack);
  // Blobs read for merges are kept in the pack's cache: apply stages the conflicts' .original/.new from there.
  const repo = await openPackRepository(pack, state, source.run(state));
  try {
    const theirs = await source.choose(repo, state);
    const base = await verifiedBase(repo, state);
    const target = await theirs.target(base);
    // Planned as this file system sees modes (io/platform.ts); the plan names the published manifests' digests.
    const [seenBase, seenTarget] = [modesAsSeen(base.manifest), modesAsSeen(target.manifest)];
    const changed = changedPaths(seenBase, seenTarget);
    const observed = await deps.observeMany(pack.home, pathsToInspect(seenBase, seenTarget, changed));
    const { decisions, merges, notes, fates } = await derive({ home: pack.home, repo, deps, product: state.product, base: seenBase, target: seenTarget, observed, changed, applied: state.hotfixes ?? [] });
    o.warnings?.push(...repo.warnings);
    const display = await displayOf(o, deps, repo, decisions, { from: state.level, to: theirs.toLevel });
    const plan = finishPlan({
      meta: {
        toolVersion: TOOL_VERSION, createdAt: o.now.toISOString(), product: state.product, fromLevel: state.level, toLevel: theirs.toLevel,
        repository: repo.location, manifests: { base: base.digest, target: target.digest },
        lineage: state.lineage, serial: state.serial, portable: o.portable, hotfixes: fates, ...(theirs.hotfix ? { hotfix: theirs.hotfix } : {}), display,
      },
      policy: o.policy, decisions, merges, observed, notes,
    });
    if (o.finish && (await o.finish(plan))) await repo.keepChecked?.();
    return plan;
  } finally {
    await repo.close();
  }
}

/** The wanted level: the latest by default; never below the current one (that is a revert), and one that exists. */
function targetLevel(levels: number[], current: number, wanted: number | undefined, product: string): number {
  if (wanted === undefined) return Math.max(current, ...levels);
  if (wanted < current) {
    throw new UpdateError('usage', `level ${wanted} is below the pack's current level ${current}`, {
      hint: 'Going back is a revert: run `wso2update revert` (or `revert --to-level N`), which restores the kept files.',
    });
  }
  if (wanted !== current && !levels.includes(wanted)) {
    throw new UpdateError('not-found', `the repository has no level ${wanted} of ${product}`, {
      detail: `published levels: ${levels.join(', ') || 'none'}`,
      hint: 'Pick one of the published levels, or leave --level out for the latest.',
    });
  }
  return wanted;
}

/** Reads the three texts of every `merge` decision and resolves it (plan, and apply's re-derivation, call this). */
export async function readMerges(plan: { home: string; repo: Repository; deps: PlanDeps; decisions: ReturnType<typeof decide>; from: number; to: number }): Promise<Map<string, MergeOutcome>> {
  const out = new Map<string, MergeOutcome>();
  for (const d of plan.decisions) {
    if (d.action !== 'merge') continue;
    const byName = unmergeableByName(d.path);
    if (byName) {
      out.set(d.path, byName);
      continue;
    }
    const ours = await plan.deps.readInstalled(plan.home, d.path);
    // The file was hashed a moment ago; if it changed since, the plan would not describe what is on disk.
    if (sha256Hex(ours) !== d.before.sha256) {
      throw new UpdateError('io', `${d.path} changed while the plan was being made`, { hint: 'Stop whatever is editing the pack and run `wso2update plan` again.' });
    }
    const [base, theirs] = await Promise.all([plan.repo.readBlob(d.base.sha256, d.base.size), plan.repo.readBlob(d.target.sha256, d.target.size)]);
    out.set(d.path, mergeOutcome(d.path, { ours, base, theirs }, { base: plan.from, target: plan.to }));
  }
  return out;
}

/** What plan and apply's re-derivation both compute from base, target and what was observed. */
export interface Derived {
  decisions: ReturnType<typeof decide>;
  merges: Map<string, MergeOutcome>;
  notes: Descriptor[];
  fates: HotfixFate[];
}

/**
 * The decision table, then (for an update to another level over applied hotfixes) the hotfix guard, then the
 * merges of what is still a merge: plan and apply's re-derivation call this one function, so they cannot disagree.
 */
export async function derive(x: { home: string; repo: Repository; deps: PlanDeps; product: string; base: Manifest; target: Manifest; observed: ReadonlyMap<string, Observed>; changed: readonly string[]; applied: readonly AppliedHotfix[] }): Promise<Derived> {
  const [from, to] = [x.base.level, x.target.level];
  let decisions = decide({ base: x.base, target: x.target, observed: x.observed, changed: x.changed });
  const notes = from === to ? [] : await notesOf(x.repo, x.product, await x.repo.levels(x.product), from, to);
  let fates: HotfixFate[] = [];
  if (from !== to && x.applied.length > 0) ({ decisions, fates } = guardHotfixes({ decisions, applied: x.applied, base: x.base, target: x.target, crossed: notes }));
  const merges = await readMerges({ home: x.home, repo: x.repo, deps: x.deps, decisions, from, to });
  return { decisions, merges, notes, fates };
}

/**
 * The pack's base as the repository vouches for it: the level's verified manifest with the applied hotfixes (kept
 * in the state) overlaid, which must be exactly the base recorded at the last commit.
 */
export async function verifiedBase(repo: Repository, state: PackState): Promise<{ manifest: Manifest; digest: string }> {
  const level = await repo.manifest(state.product, state.level);
  const base = effectiveBase(level, state.hotfixes ?? []);
  if (base.digest !== state.manifestDigest) {
    const fixes = state.hotfixes?.length ? ` with hotfixes ${state.hotfixes.map((h) => h.id).join(', ')}` : '';
    throw new UpdateError('verification', `the repository's manifest of ${state.product} level ${state.level}${fixes} is not the one this pack was adopted with`, {
      detail: `recorded ${state.manifestDigest}\nrepository ${base.digest}\nrepository at ${repo.location}`,
      hint: 'Point --repo at the repository the pack was adopted from (or a faithful copy of it).',
    });
  }
  return base;
}

/** The descriptors of the levels crossed from `from` (exclusive) to `to`. */
export async function notesOf(repo: Repository, product: string, levels: readonly number[], from: number, to: number): Promise<Descriptor[]> {
  const notes: Descriptor[] = [];
  for (const l of levels.filter((x) => x > from && x <= to)) notes.push(await repo.descriptor(product, l));
  return notes;
}

/** An update plan: theirs is a published level, the latest unless --level names one. */
export function makePlan(o: MakePlanOptions): Promise<Plan> {
  return planPack(o, {
    run: () => ({ repo: o.repo, cache: !o.noCache, acceptExpiredBundle: o.acceptExpiredBundle }),
    choose: async (repo, state) => {
      const to = targetLevel(await repo.levels(state.product), state.level, o.level, state.product);
      return { toLevel: to, target: (base) => (to === state.level ? base : repo.manifest(state.product, to)) };
    },
  });
}
