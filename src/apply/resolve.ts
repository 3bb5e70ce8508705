// `apply --continue`: the conflicts of a `stop` apply are resolved by `<path>.final` files. Each is checked (there,
// a regular file, no leftover conflict markers in text), copied into staging with the target's mode, and swapped in
// like any step (the user's file kept in the generation); the helpers are discarded and the commit follows.
import { join } from 'node:path';
import type { ApplyEvent } from '../core/apply-events.js';
import { UpdateError } from '../core/errors.js';
import type { FsOps } from '../io/fsops.js';
import { guardFs } from '../io/pack-guard.js';
import { assertPending, deleteJournal, writeJournal, type Journal, type Step } from '../io/journal.js';
import { observe } from '../io/tree.js';
import { afterCommit, swap, type ApplyHooks, type ApplyOutcome } from './executor.js';
import { HELPER_SUFFIXES } from './from-plan.js';
import { STAGED_COMMIT, type CommitInput, type Item } from './job.js';
import { commitItems } from './meta.js';
import { undoSteps, withRollbackErrors } from './rollback.js';
import { makeAsideDirs, planSteps, sourceBytes, stageAll } from './stage.js';
import { layoutOf } from './steps.js';

const MARKER = /^(<{7}|\|{7}|={7}|>{7})( |$)/m;

async function checkFinals(ops: FsOps, home: string, j: Journal): Promise<Item[]> {
  const missing: string[] = [];
  const marked: string[] = [];
  const items: Item[] = [];
  for (const c of j.conflicts) {
    const final = `${c.path}.final`;
    const st = await ops.lstat(join(home, final));
    if (st === null || !st.isFile()) {
      missing.push(final);
      continue;
    }
    const bytes = await ops.readFile(join(home, final));
    if (!bytes.includes(0) && MARKER.test(bytes.toString('utf8'))) marked.push(final);
    const { sha256, size } = await ops.hashFile(join(home, final));
    items.push({
      path: c.path, before: await observe(home, c.path), after: { kind: 'file', sha256, size, mode: c.mode },
      source: { kind: 'copy', abs: join(home, final), mode: c.mode, size, link: false },
    });
  }
  if (missing.length > 0) {
    throw new UpdateError('conflicts', `${missing.length} conflict(s) have no resolved file: write ${missing.join(', ')}`, {
      paths: missing, hint: 'Each conflicted file needs <file>.final (start from <file>.new and <file>.original), then run `apply --continue` again.',
    });
  }
  if (marked.length > 0) {
    throw new UpdateError('conflicts', `${marked.length} .final file(s) still hold conflict markers`, {
      paths: marked, hint: 'Remove the <<<<<<< ||||||| ======= >>>>>>> blocks, keeping what you want, and run `apply --continue` again.',
    });
  }
  return items;
}

/**
 * The generation's record as resolved: helpers out, each conflicted path with the user's file and the .final.
 * A helper always replaced nothing (from-plan refuses names already taken), so its entry is simply dropped.
 */
function resolvedCommit(c: CommitInput, j: Journal, finals: readonly Item[]): CommitInput {
  const helpers = new Set(j.conflicts.flatMap((x) => [`${x.path}.original`, `${x.path}.new`]));
  const entries = c.generation.entries.filter((e) => !helpers.has(e.path));
  for (const f of finals) entries.push({ path: f.path, before: f.before, after: f.after, created: null });
  return { ...c, generation: { ...c.generation, entries } };
}

export async function continueApply(home: string, unguarded: FsOps, hooks: ApplyHooks = {}): Promise<ApplyOutcome> {
  const ops = guardFs(home, unguarded);
  const j = (await assertPending(home, ['waiting'], ops)).journal as Journal;
  const l = layoutOf(home, j.generation);
  // The same phases as any apply, so that the progress display shows this run's real steps.
  const emit = (e: ApplyEvent) => hooks.onEvent?.(e);
  emit({ type: 'phase', phase: 'check' });
  const finals = await checkFinals(ops, home, j);
  const commit = resolvedCommit(JSON.parse((await ops.readFile(join(l.staging, STAGED_COMMIT))).toString('utf8')) as CommitInput, j, finals);
  for (const name of await ops.readdir(l.staging)) if (name !== STAGED_COMMIT) await ops.rmTree(join(l.staging, name));
  const meta = await commitItems(ops, home, commit);
  const finalSteps = await planSteps(ops, l, finals, 'r');
  const metaSteps = await planSteps(ops, l, meta, 'm');
  const discards: Step[] = [];
  for (const c of j.conflicts) {
    for (const suffix of HELPER_SUFFIXES) {
      const path = `${c.path}${suffix}`;
      if ((await ops.lstat(join(home, path))) !== null) discards.push({ path, aside: false, src: null, created: null, discardTo: `d${discards.length}`, pruned: null });
    }
  }
  emit({ type: 'phase', phase: 'stage' });
  await makeAsideDirs(ops, l, [...finalSteps, ...metaSteps]);
  const isInt = hooks.isInterrupted ?? (() => false);
  const finalBytes = finals.reduce((n, it) => n + sourceBytes(it.source), 0);
  const total = finalBytes + meta.reduce((n, it) => n + sourceBytes(it.source), 0);
  await stageAll(ops, l, null, finals, finalSteps, 'r', (done) => emit({ type: 'bytes', done, total }), isInt);
  await stageAll(ops, l, null, meta, metaSteps, 'm', (done) => emit({ type: 'bytes', done: finalBytes + done, total }), isInt);
  const resolveSteps = [...finalSteps, ...discards, ...metaSteps];
  let point = 0;
  try {
    await writeJournal(home, { ...j, phase: 'resolving', resolveSteps }, ops);
    emit({ type: 'phase', phase: 'swap' });
    await swap(ops, l, resolveSteps, isInt, async () => { point += 1; await hooks.pauseAt?.(point); }, emit);
    emit({ type: 'phase', phase: 'commit' });
    await deleteJournal(home, ops);
  } catch (err) {
    emit({ type: 'phase', phase: 'rollback' });
    const errors = await undoSteps(ops, l, resolveSteps);
    if (errors.length === 0) await writeJournal(home, { ...j, phase: 'awaiting-resolution', resolveSteps: [] }, ops).catch((e) => errors.push(e));
    throw withRollbackErrors(err, errors, home);
  }
  const warnings = await afterCommit(ops, l, { commit });
  return { status: 'applied', generation: j.generation, conflicts: [], steps: resolveSteps.length, warnings };
}
