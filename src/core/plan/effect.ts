// What applying a plan would change, decided once for plan, show, the one-shot apply and `apply PLAN`: a plan that
// changes nothing must leave the pack, its serial and its generations alone (an empty apply used to take a
// generation and push the real ones out, until level 0 could no longer be reached).
import type { Plan } from '../model.js';

/** Applying it changes nothing at all: no action, the pack stays at its level, and no hotfix is recorded. */
export const isNoOp = (plan: Plan): boolean => plan.actions.length === 0 && plan.fromLevel === plan.toLevel && plan.hotfix === undefined;

/** Whether applying the plan changes any file: a conflict resolved by keep-mine changes none (--detailed-exitcode). */
export const changesFiles = (plan: Plan): boolean => plan.actions.some((a) => !(a.action === 'conflict' && a.resolution === 'keep-mine'));

/** Apply will stop on conflicts and wait for `.final` files (`plan` exits 3 for it). */
export const stopsOnConflicts = (plan: Plan): boolean => plan.summary.conflict > 0 && plan.onConflict === 'stop';
