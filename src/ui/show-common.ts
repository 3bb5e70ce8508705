// What the three plan views share: the summary line, action labels, conflict explanations, and the masking of
// secret values in the texts a plan carries (merged files, diffs, markers). Views only format; nothing here decides.
import type { Action, ConflictAction, ConflictReason, Observed, Plan, PlanSummary } from '../core/model.js';
import { maskDiff, maskText } from '../core/secrets.js';

/**
 * Appends every item of `lists` one by one: `out.push(...items)` passes each item as an argument and overflows
 * the stack past ~100,000 (a hostile plan of a million actions, a merged file of a million lines).
 */
export function pushAll<T>(out: T[], ...lists: readonly (readonly T[])[]): T[] {
  for (const list of lists) for (const x of list) out.push(x);
  return out;
}

export interface ShowOptions {
  /** Print secret values as they are (default: masked). */
  revealSecrets?: boolean;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** `Plan: 3 to add, 40 to replace, 2 to remove, 1 to merge, 2 conflicts` (`, 1 to chmod` only when there are any). */
export function summaryLine(s: PlanSummary): string {
  const parts = [`${s.add} to add`, `${s.replace} to replace`, `${s.remove} to remove`, `${s.merge} to merge`, plural(s.conflict, 'conflict', 'conflicts')];
  if (s.chmod > 0) parts.push(`${s.chmod} to chmod`);
  return `Plan: ${parts.join(', ')}`;
}

export const SYMBOL: Record<Action['action'], string> = { add: '+', replace: '~', remove: '-', merge: 'M', conflict: '!', chmod: '*' };

export function describeObserved(o: Observed): string {
  switch (o.kind) {
    case 'file': return `${o.sha256.slice(0, 12)} ${o.size} B ${o.mode}`;
    case 'symlink': return `symlink -> ${o.target}`;
    default: return o.kind;
  }
}

export const REASON_TEXT: Record<ConflictReason, string> = {
  'text-overlap': 'your edits and the update change the same lines',
  'too-ambiguous': 'your edits and the update both change a stretch of lines too long or too repetitive to line up with certainty, so it is left to you rather than guessed',
  'binary-customized': 'a customized binary file that the update changes',
  'not-mergeable': 'a customized file that is replaced, not merged',
  'user-file': 'the update adds a file where one of yours already is',
  'removed-customized': 'the update removes a file you customized',
  'kind-change': 'a symlink, folder or symlinked parent where the update expects a file (never written through)',
  'missing-changed': 'you deleted a shipped file that the update changes',
  'hotfix-not-contained': 'an applied hotfix changed this file and the new level does not ship the fix: taking the level\'s file would undo the hotfix',
};

/**
 * What a plan says about hotfixes, one line each: the hotfix it applies, or what an update to another level does
 * with each applied one (retired: the level contains it; not contained: its files are conflicts, never dropped).
 */
export function hotfixLines(plan: Plan): string[] {
  const out: string[] = [];
  if (plan.hotfix) out.push(`hotfix ${plan.hotfix.id} (${plan.hotfix.date}): ${plan.hotfix.title}, on level ${plan.fromLevel}`);
  for (const f of plan.hotfixes ?? []) {
    out.push(f.fate === 'retired'
      ? `hotfix ${f.id}: retired, level ${plan.toLevel} contains the fix`
      : `hotfix ${f.id}: NOT contained in level ${plan.toLevel}; its ${f.paths.length === 1 ? 'file is a conflict' : `${f.paths.length} files are conflicts`} (${f.paths.slice(0, 5).join(', ')}${f.paths.length > 5 ? ', ...' : ''})`);
  }
  return out;
}

/** What happens to a conflict at apply, by its resolution, in words an operator acts on (the path is said once, by the caller). */
export function resolutionText(a: ConflictAction): string {
  if (a.resolution === 'keep-mine') return 'Your file stays as it is; the update\'s version is not installed.';
  if (a.resolution === 'take-theirs') {
    return `The update's version is ${a.target ? 'installed' : 'applied (the file is removed)'}; your copy is kept in the generation.`;
  }
  return 'Apply leaves your file, puts .original (before the update) and .new (the update\'s) beside it and waits: ' +
    'write .final (or an empty .absent for no file) and run `wso2update apply --continue`.';
}

/** The same, in a few words for one line of a list; a take-theirs removal says that the file goes. */
export function resolutionShort(a: ConflictAction): string {
  if (a.resolution === 'stop') return 'apply waits for your .final or .absent';
  if (a.resolution === 'keep-mine') return 'yours is kept';
  return a.target ? "the update's is installed" : 'the update removes it (yours is kept in the generation)';
}

/** The conflict policy of a whole plan, as an operator reads it. */
export const POLICY_TEXT: Record<Plan['onConflict'], string> = {
  stop: 'apply leaves your file as it is and waits for you to write a .final file beside it',
  'keep-mine': "your files stay as they are; the update's versions are not installed",
  'take-theirs': "the update's versions are installed; yours are kept in the generation",
};

/** Which pack a plan may be applied to, without the ids (they are in --json). */
export const boundText = (plan: Plan): string =>
  plan.portable
    ? 'any identical pack (portable: each one checks the files the plan touches)'
    : 'this pack as it is now (once: any apply or revert since then makes the plan stale)';

/** The action as shown: secrets masked in its texts unless revealed. The plan itself is never modified. */
export function shownAction(a: Action, opts: ShowOptions): Action {
  if (opts.revealSecrets) return a;
  if (a.action === 'merge') return { ...a, merged: maskText(a.merged, a.path), ...(a.diff === undefined ? {} : { diff: maskDiff(a.diff, a.path) }) };
  if (a.action === 'conflict') {
    return {
      ...a,
      ...(a.markers === undefined ? {} : { markers: maskText(a.markers, a.path) }),
      ...(a.diff === undefined ? {} : { diff: maskDiff(a.diff, a.path) }),
    };
  }
  return a;
}

export const levelsCrossed = (plan: Plan): string =>
  plan.notes.length ? plan.notes.map((n) => n.level).join(', ') : 'none';

export const byAction = (plan: Plan, kind: Action['action']): Action[] => plan.actions.filter((a) => a.action === kind);

/**
 * The conflict blocks of a text with diff3 markers, each with `context` lines around it and a `@@ line N` header,
 * so that a review shows the overlaps rather than the whole file (the plan keeps the whole text).
 */
export function conflictExcerpt(markers: string, context = 3): string {
  const lines = markers.replace(/\n$/, '').split('\n');
  const keep = new Array<boolean>(lines.length).fill(false);
  let open = -1;
  lines.forEach((l, i) => {
    if (l.startsWith('<<<<<<<')) open = i;
    else if (l.startsWith('>>>>>>>') && open >= 0) {
      for (let k = Math.max(0, open - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true;
      open = -1;
    }
  });
  const out: string[] = [];
  lines.forEach((l, i) => {
    if (!keep[i]) return;
    if (i === 0 || !keep[i - 1]) out.push(`@@ line ${i + 1} @@`);
    out.push(l);
  });
  return out.length ? `${out.join('\n')}\n` : markers;
}

/** The generations a revert plan undoes, newest first (the applies whose kept files it restores). */
export const revertedGenerations = (plan: Plan): string => {
  const ids = plan.revert?.generations ?? (plan.revert ? [plan.revert.generation] : []);
  return `${ids.length === 1 ? 'generation' : 'generations'} ${ids.join(', ') || '?'}`;
};
