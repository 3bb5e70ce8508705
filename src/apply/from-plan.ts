// An update plan becomes an apply job (a revert plan's job: revert.ts): the plan is checked against the pack's
// record (product, level, manifest, lineage and serial unless portable), every action becomes an item with its
// content source, conflicts follow their policy, and the commit's new state (level, serial + 1, generation,
// pruning) is computed here.
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { Action, Entry, Hotfix, Observed, PackState, Plan, RunIdentity } from '../core/model.js';
import { appliedRecord } from '../core/hotfix.js';
import { assertSafePath } from '../core/paths.js';
import type { Pack } from '../io/pack.js';
import { observe } from '../io/tree.js';
import type { JournalConflict } from '../io/pending-run.js';
import type { ApplyJob, ChangeLists, Item, ManifestCopy, Source } from './job.js';
import { newState, recordOf } from './generations.js';

const stale = (summary: string, hint: string) => new UpdateError('stale-plan', summary, { hint });

/** Lineage, serial, product, level and base manifest: is this plan for this pack, now? */
export function checkPlanAgainstState(plan: Plan, state: PackState): void {
  if (plan.direction !== 'update') throw new UpdateError('usage', 'this is a revert plan; run `wso2update revert` instead');
  if (plan.product !== state.product) throw stale(`the plan is for ${plan.product}, this pack is ${state.product}`, 'Use a plan made for this pack.');
  if (!plan.portable) {
    if (plan.lineage !== state.lineage) throw stale('the plan was made for another pack (foreign lineage)', 'Plan on this pack, or make a --portable plan for a fleet.');
    if (plan.serial !== state.serial) {
      throw stale(`the plan is for serial ${plan.serial} but the pack is at serial ${state.serial}: it was already applied, or the pack changed since`, 'Plan again; a plan is single-use.');
    }
  }
  if (plan.fromLevel !== state.level || plan.manifests.base !== state.manifestDigest) {
    throw stale(`the plan starts from level ${plan.fromLevel} but the pack is at level ${state.level}`, 'Plan again; a plan is single-use.');
  }
}

function sourceOf(e: Entry): Source {
  return e.kind === 'file' ? { kind: 'blob', sha256: e.sha256, size: e.size, mode: e.mode } : { kind: 'symlink', target: e.target };
}

function itemsOf(a: Action, home: string): Item[] {
  switch (a.action) {
    case 'add':
    case 'replace':
      return [{ path: a.path, before: a.before, after: a.after, source: sourceOf(a.after) }];
    case 'merge':
      return [{ path: a.path, before: a.before, after: a.after, source: { kind: 'text', text: a.merged, mode: a.after.mode } }];
    case 'chmod':
      return [{ path: a.path, before: a.before, after: a.after, source: { kind: 'copy', abs: join(home, a.path), mode: a.after.mode, size: a.after.size, link: false } }];
    case 'remove':
      return [{ path: a.path, before: a.before, after: { kind: 'absent' }, source: null }];
    case 'conflict':
      if (a.resolution === 'keep-mine') return [];
      if (a.resolution === 'take-theirs') return [{ path: a.path, before: a.before, after: a.target ?? { kind: 'absent' }, source: a.target ? sourceOf(a.target) : null }];
      return [];
  }
}

/**
 * The names `stop` writes (`.original`, `.new`) or `apply --continue` reads and removes beside a conflict: `.final`
 * (the content to install) or `.absent` (no file at all: the way to accept an update's removal, or to keep the
 * absence of a file the update ships again; an empty `.final` would install a 0-byte file).
 */
export const HELPER_SUFFIXES = ['.original', '.new', '.final', '.absent'] as const;

/**
 * User files are never touched, so a helper name already taken (a user's `lib/a.jar.original` from an old WSO2
 * update, say) is refused here, before any write, rather than moved into the generation and restored by
 * `--continue`: a `.final` that was there before could not be told from the user's resolution at all, and one
 * refusal is simpler than a swap-back on every path that ends the wait (continue, revert, recover).
 */
async function assertHelperNamesFree({ home, ops }: Pack, conflicts: readonly string[]): Promise<void> {
  const taken: string[] = [];
  for (const path of conflicts) {
    for (const suffix of HELPER_SUFFIXES) {
      assertSafePath(`${path}${suffix}`, 'plan');
      if ((await observe(home, `${path}${suffix}`, undefined, ops)).kind !== 'absent') taken.push(`${path}${suffix}`);
    }
  }
  if (taken.length > 0) {
    throw new UpdateError('usage', `${taken.length} file(s) already have the names that conflict resolution uses: ${taken.slice(0, 5).join(', ')}`, {
      paths: taken,
      hint: 'Move each of them out of the way (they are yours: wso2update would write or remove files with these names), then run apply again; nothing was changed.',
    });
  }
}

/** `.original` (base) and `.new` (target) beside a conflicted path, where nothing is (assertHelperNamesFree). */
function helperItems(a: Extract<Action, { action: 'conflict' }>): Item[] {
  const out: Item[] = [];
  for (const [suffix, e] of [['.original', a.base], ['.new', a.target]] as const) {
    if (e) out.push({ path: `${a.path}${suffix}`, before: { kind: 'absent' }, after: e, source: sourceOf(e) });
  }
  return out;
}

export function changeLists(plan: Plan, generation: string): ChangeLists {
  const by = (k: Action['action']) => plan.actions.filter((a) => a.action === k).map((a) => a.path);
  const outcome = (a: Extract<Action, { action: 'conflict' }>) =>
    a.resolution === 'keep-mine' ? 'kept yours' : a.resolution === 'take-theirs' ? `took the update's (yours kept in generation ${generation})` : 'resolved with .final';
  return {
    added: by('add'), updated: [...by('replace'), ...by('chmod')], removed: by('remove'), merged: by('merge'),
    conflicts: plan.actions.flatMap((a) => (a.action === 'conflict' ? [{ path: a.path, outcome: outcome(a) }] : [])),
  };
}

export interface FromPlanInput {
  /** The pack, through the applier's FsOps: what it observes counts (and can fail) like what it writes. */
  pack: Pack;
  plan: Plan;
  state: PackState;
  /** The target level's manifest copy the commit writes (job.ts ManifestCopy). */
  target: ManifestCopy;
  /** The verified record of the hotfix the plan applies (plan.hotfix). */
  hotfix?: { hotfix: Hotfix; digest: string };
  now: Date;
  changelog: boolean;
}

/**
 * The hotfixes the new state records: one more after apply-hotfix; none after a move to another level (each was
 * retired, or was a conflict the plan showed and its resolution settled); the same after a same-level apply.
 */
function hotfixesAfter(input: FromPlanInput, generation: string): PackState['hotfixes'] {
  const { plan, state } = input;
  if (input.hotfix) return [...(state.hotfixes ?? []), appliedRecord(input.hotfix.hotfix, input.hotfix.digest, input.now.toISOString(), generation)];
  return plan.toLevel === plan.fromLevel ? state.hotfixes : undefined;
}

export async function jobFromPlan(input: FromPlanInput): Promise<ApplyJob> {
  const { plan, state } = input;
  const { home } = input.pack;
  checkPlanAgainstState(plan, state);
  for (const a of plan.actions) assertSafePath(a.path, 'plan');
  const items = plan.actions.flatMap((a) => itemsOf(a, home));
  const conflicts: JournalConflict[] = [];
  const pre: Record<string, Observed> = { ...plan.preconditions };
  const stops = plan.actions.filter((a): a is Extract<Action, { action: 'conflict' }> => a.action === 'conflict' && a.resolution === 'stop');
  await assertHelperNamesFree(input.pack, stops.map((a) => a.path));
  for (const a of stops) {
    const helpers = helperItems(a);
    for (const h of helpers) pre[h.path] = h.before;
    items.push(...helpers);
    const mode = a.target?.kind === 'file' ? a.target.mode : a.before.kind === 'file' ? a.before.mode : '0644';
    conflicts.push({ path: a.path, reason: a.reason, mode, mine: a.before.kind !== 'absent', theirs: a.target !== null });
  }
  const generation = `g${state.serial + 1}-${plan.fromLevel}-${plan.toLevel}`;
  if (plan.hotfix && input.hotfix?.hotfix.id !== plan.hotfix.id) throw new UpdateError('internal', `the verified record of hotfix ${plan.hotfix.id} was not passed to the applier`);
  const run: RunIdentity = { planDigest: plan.digest, direction: 'update', product: plan.product, fromLevel: plan.fromLevel, toLevel: plan.toLevel };
  const record = { ...recordOf(generation, run, input.now.toISOString()), ...(plan.hotfix ? { hotfix: plan.hotfix.id } : {}) };
  const { state: made, drop } = newState(state, record, plan.manifests.target);
  const { hotfixes: _old, ...rest } = made;
  const fixes = hotfixesAfter(input, generation);
  const next: PackState = fixes && fixes.length > 0 ? { ...rest, hotfixes: fixes } : rest;
  return {
    ...run, generation, preconditions: pre, items, conflicts,
    commit: {
      state: next, manifest: input.target, drop, keepOwnGeneration: true,
      generation: { formatVersion: 1, id: generation, ...run, entries: [] },
      // A hotfix leaves no changelog-<L>-<L>.md: a second hotfix of the level would take the same name.
      changelog: input.changelog && !plan.hotfix ? changeLists(plan, generation) : null,
    },
  };
}
