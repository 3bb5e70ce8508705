// Assembles the Plan (the only contract between plan and apply) from the planner's decisions and the resolved
// merges: conflict policy, preconditions for every touched path and its parents, sorted actions, summary, notes,
// digest. Pure and canonical: the same inputs give the same plan and digest; the clock value comes in as createdAt.
import { planDigest, sha256Hex } from '../canonical.js';
import type { Action, ConflictPolicy, ConflictReason, Descriptor, Entry, LevelNotes, Observed, Plan, PlanSummary } from '../model.js';
import { FORMAT_VERSION } from '../model.js';
import { comparePaths, parentsOf } from '../paths.js';
import type { Decision } from './planner.js';
import { MERGE_ENGINE } from '../version.js';

/** How a requested merge turned out (see plan-merge.ts). `merged` carries diff3 markers when not clean. */
export type MergeOutcome =
  | { kind: 'text'; clean: boolean; merged: string; diff?: string; ambiguous?: boolean }
  | { kind: 'unmergeable'; reason: Extract<ConflictReason, 'binary-customized' | 'not-mergeable'> };

/** The plan's identity fields, as the caller knows them (the clock value and ids come in here: core has none). */
export type PlanMeta = Pick<Plan, 'createdAt' | 'product' | 'fromLevel' | 'toLevel' | 'repository' | 'manifests' | 'lineage' | 'serial' | 'portable' | 'revert' | 'hotfix' | 'hotfixes' | 'display'> & {
  toolVersion: string;
  direction?: Plan['direction'];
};

export interface FinishInput {
  meta: PlanMeta;
  policy: ConflictPolicy;
  decisions: readonly Decision[];
  /** One outcome per `merge` decision, keyed by path. */
  merges: ReadonlyMap<string, MergeOutcome>;
  /** What was observed (pathsToInspect): the parents' preconditions come from here. */
  observed: ReadonlyMap<string, Observed>;
  /** Descriptors of the levels crossed (fromLevel+1 .. toLevel), in any order. */
  notes: readonly (Descriptor | LevelNotes)[];
}

/** What a conflict leaves on disk: take-theirs installs what target ships (absent when target removes it); stop and keep-mine leave the user's file. */
export function conflictAfter(policy: ConflictPolicy, before: Observed, target: Entry | null): Observed {
  return policy === 'take-theirs' ? (target ?? { kind: 'absent' }) : before;
}

function conflictAction(d: Decision, reason: ConflictReason, policy: ConflictPolicy, extra: { markers?: string; diff?: string } = {}): Action {
  const base = d.action === 'merge' || d.action === 'conflict' ? d.base : null;
  const target = d.action === 'merge' || d.action === 'conflict' ? d.target : null;
  const after = conflictAfter(policy, d.before, target);
  return { path: d.path, action: 'conflict', reason, resolution: policy, before: d.before, after, base, target, ...extra };
}

function resolveMerge(d: Extract<Decision, { action: 'merge' }>, outcome: MergeOutcome | undefined, policy: ConflictPolicy): Action | null {
  if (outcome === undefined) throw new Error(`planner: no merge outcome for ${d.path}`);
  if (outcome.kind === 'unmergeable') return conflictAction(d, outcome.reason, policy);
  const diff = outcome.diff === undefined ? {} : { diff: outcome.diff }; // no undefined keys: the plan reads back equal
  // A stretch the merge could not line up within its budget outranks plain overlaps: it says why to look closer.
  if (!outcome.clean) return conflictAction(d, outcome.ambiguous ? 'too-ambiguous' : 'text-overlap', policy, { markers: outcome.merged, ...diff });
  const bytes = new TextEncoder().encode(outcome.merged);
  const after = { kind: 'file' as const, sha256: sha256Hex(bytes), size: bytes.length, mode: d.target.mode };
  // The user's file already holds everything the update brings: nothing to write, at most a mode to set.
  if (after.sha256 === d.before.sha256) return after.mode === d.before.mode ? null : { path: d.path, action: 'chmod', before: d.before, after };
  return { path: d.path, action: 'merge', before: d.before, after, merged: outcome.merged, base: d.base, target: d.target, ...diff };
}

function toAction(d: Decision, merges: ReadonlyMap<string, MergeOutcome>, policy: ConflictPolicy): Action | null {
  switch (d.action) {
    case 'merge': return resolveMerge(d, merges.get(d.path), policy);
    case 'conflict': return conflictAction(d, d.reason, policy);
    case 'remove': return { path: d.path, action: 'remove', before: d.before, after: { kind: 'absent' } };
    case 'chmod': return { path: d.path, action: 'chmod', before: d.before, after: d.after as Extract<Entry, { kind: 'file' }> };
    default: return { path: d.path, action: d.action, before: d.before, after: d.after as Entry };
  }
}

function toNotes(n: Descriptor | LevelNotes): LevelNotes {
  return { level: n.level, date: n.date, title: n.title, description: n.description, fixes: n.fixes, securityAdvisories: n.securityAdvisories };
}

export function summarize(actions: readonly Action[]): PlanSummary {
  const s: PlanSummary = { add: 0, replace: 0, remove: 0, merge: 0, conflict: 0, chmod: 0 };
  for (const a of actions) s[a.action] += 1;
  return s;
}

export function finishPlan(input: FinishInput): Plan {
  const { meta, policy } = input;
  const actions = input.decisions
    .map((d) => toAction(d, input.merges, policy))
    .filter((a): a is Action => a !== null)
    .sort((a, b) => comparePaths(a.path, b.path));
  // Every touched path and the folders above it: apply re-checks them all, so a parent swapped for a symlink is caught.
  const pre = new Map<string, Observed>();
  for (const a of actions) {
    pre.set(a.path, a.before);
    for (const parent of parentsOf(a.path)) {
      const seen = input.observed.get(parent);
      if (seen === undefined) throw new Error(`planner: parent ${parent} of ${a.path} was not observed`);
      pre.set(parent, seen);
    }
  }
  const preconditions = Object.fromEntries([...pre.keys()].sort(comparePaths).map((p) => [p, pre.get(p) as Observed]));
  const body: Omit<Plan, 'digest'> = {
    formatVersion: FORMAT_VERSION,
    tool: { name: 'wso2update', version: meta.toolVersion, mergeEngine: MERGE_ENGINE },
    createdAt: meta.createdAt,
    product: meta.product,
    fromLevel: meta.fromLevel,
    toLevel: meta.toLevel,
    repository: meta.repository,
    manifests: { base: meta.manifests.base, target: meta.manifests.target },
    lineage: meta.portable ? null : meta.lineage,
    serial: meta.portable ? null : meta.serial,
    portable: meta.portable,
    onConflict: policy,
    direction: meta.direction ?? 'update',
    ...(meta.revert ? { revert: meta.revert } : {}),
    ...(meta.hotfix ? { hotfix: meta.hotfix } : {}),
    ...(meta.hotfixes && meta.hotfixes.length > 0 ? { hotfixes: meta.hotfixes } : {}),
    ...(meta.display ? { display: meta.display } : {}),
    preconditions,
    actions,
    notes: input.notes.map(toNotes).sort((a, b) => a.level - b.level),
    summary: summarize(actions),
  };
  return { ...body, digest: planDigest(body) };
}
