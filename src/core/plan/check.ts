// The plan's internal invariants, checked when a plan file is read (after its schema and digest): the digest only
// proves the file is what someone hashed, and a hand-made plan with a recomputed digest must not slip an action past
// the precondition checks apply relies on, nor write bytes other than the ones its review shows.
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { Action, Manifest, Observed, Plan } from '../model.js';
import { parentsOf } from '../paths.js';
import { conflictAfter, summarize } from './build.js';

const same = (a: Observed | null | undefined, b: Observed | null | undefined): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

function actionProblems(a: Action, plan: Plan): string[] {
  const out: string[] = [];
  const pre = plan.preconditions[a.path];
  if (pre === undefined) out.push(`${a.path}: the action has no precondition, so apply could not check what it replaces`);
  else if (!same(pre, a.before)) out.push(`${a.path}: the action's "before" differs from its precondition`);
  const missing = parentsOf(a.path).filter((p) => plan.preconditions[p] === undefined);
  if (missing.length > 0) out.push(`${a.path}: no precondition for its folder ${missing[0]}`);
  if (a.action === 'merge') {
    const bytes = new TextEncoder().encode(a.merged);
    if (a.after.sha256 !== sha256Hex(bytes) || a.after.size !== bytes.length) out.push(`${a.path}: the merged text is not the file its "after" describes`);
  }
  if (a.action === 'chmod' && (a.before.kind !== 'file' || a.before.sha256 !== a.after.sha256 || a.before.size !== a.after.size)) {
    out.push(`${a.path}: a mode change that would change the content`);
  }
  if (a.action === 'conflict') {
    if (a.resolution !== plan.onConflict) out.push(`${a.path}: resolved by "${a.resolution}" in a plan whose policy is "${plan.onConflict}"`);
    else if (!same(a.after, conflictAfter(a.resolution, a.before, a.target))) out.push(`${a.path}: the conflict's "after" is not what "${a.resolution}" leaves`);
  }
  return out;
}

/** Every way the plan contradicts itself; empty for any plan the planner made. */
export function planProblems(plan: Plan): string[] {
  const out = plan.actions.flatMap((a) => actionProblems(a, plan));
  if (canonicalJson(summarize(plan.actions)) !== canonicalJson(plan.summary)) out.push('the summary does not count the actions');
  if (plan.portable !== (plan.lineage === null) || plan.portable !== (plan.serial === null)) {
    out.push('lineage and serial must be null exactly when the plan is portable');
  }
  return out;
}

/** An entry as a plan or manifest states it, for comparison (null: not shipped). */
const entryOf = (m: Manifest, path: string): Observed | null => m.files[path] ?? null;

/**
 * Where the plan's actions disagree with the manifests they claim to come from (their digests already match the
 * plan's): content the target level does not ship at that path would be installed under the target's name.
 */
export function manifestProblems(plan: Plan, base: Manifest, target: Manifest): string[] {
  const out: string[] = [];
  for (const a of plan.actions) {
    const [b, t] = [entryOf(base, a.path), entryOf(target, a.path)];
    if (b === null && t === null) out.push(`${a.path}: neither level ships this path`);
    else if (a.action === 'add' || a.action === 'replace' || a.action === 'remove') {
      if (!same(a.after, t ?? { kind: 'absent' })) out.push(`${a.path}: "${a.action}" installs what level ${plan.toLevel} does not ship there`);
    } else if (a.action === 'merge' || a.action === 'conflict') {
      if (!same(a.base, b) || !same(a.target, t)) out.push(`${a.path}: the ${a.action}'s base or target is not what the levels ship there`);
    } else if (t?.kind !== 'file' || a.after.mode !== t.mode) out.push(`${a.path}: the mode is not level ${plan.toLevel}'s`);
  }
  return out;
}
