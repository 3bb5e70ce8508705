// `apply --continue`: the conflicts of a `stop` apply are resolved by `<path>.final` files (or `<path>.absent`: no
// file). Each is checked (there, a regular file, no leftover conflict markers in text, not both) and becomes an item of a job that the one executor runs
// under the waiting update's journal: the finals swapped in (the user's file kept), the helpers discarded, the commit.
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import { assertSafePath } from '../core/paths.js';
import { guardFs } from '../io/pack-guard.js';
import { withOps, type Pack } from '../io/pack.js';
import { assertPending, type Journal } from '../io/pending-run.js';
import { parseChecked } from '../io/record-schemas.js';
import { parseJsonText, validate } from '../io/validate.js';
import { RECORD_ID } from '../core/record-paths.js';
import { runIdentity, type Manifest, type PackState } from '../core/model.js';
import { observe } from '../io/tree.js';
import { runJob, type ApplyHooks, type ApplyOutcome } from './executor.js';
import { HELPER_SUFFIXES } from './from-plan.js';
import type { GenerationFile } from '../io/generations.js';
import { STAGED_COMMIT, type ApplyJob, type CommitInput, type Item, type StagedCommitFile } from './job.js';
import { layoutOf } from './steps.js';
import { checkJournal, checkStagedCommit } from './record-check.js';
import { readState } from '../io/state.js';
import { openPack } from '../io/pack.js';

const MARKER = /^(<{7}|\|{7}|={7}|>{7})( |$)/m;

async function checkFinals({ home, ops }: Pack, j: Journal): Promise<Item[]> {
  const missing: string[] = [];
  const marked: string[] = [];
  const both: string[] = [];
  const items: Item[] = [];
  for (const c of j.conflicts) {
    const final = `${c.path}.final`;
    const st = await ops.lstat(join(home, final));
    const absent = (await ops.lstat(join(home, `${c.path}.absent`))) !== null;
    if (absent && st !== null) {
      both.push(c.path);
      continue;
    }
    if (absent) {
      // No file: the user's (if any) goes into the generation like any removed file, so revert brings it back.
      const before = await observe(home, c.path, undefined, ops);
      if (before.kind !== 'absent') items.push({ path: c.path, before, after: { kind: 'absent' }, source: null });
      continue;
    }
    if (st === null || !st.isFile()) {
      missing.push(final);
      continue;
    }
    const bytes = await ops.readFile(join(home, final));
    if (!bytes.includes(0) && MARKER.test(bytes.toString('utf8'))) marked.push(final);
    const { sha256, size } = await ops.hashFile(join(home, final));
    items.push({
      path: c.path, before: await observe(home, c.path, undefined, ops), after: { kind: 'file', sha256, size, mode: c.mode },
      source: { kind: 'copy', abs: join(home, final), mode: c.mode, size, link: false },
    });
  }
  if (both.length > 0) {
    throw new UpdateError('conflicts', `${both.length} conflict(s) have both a .final and an .absent file: ${both.map((p) => `${p}.final, ${p}.absent`).join('; ')}`, {
      paths: both, hint: 'Keep one of the two for each (.final installs that content, .absent leaves no file), then run `apply --continue` again; nothing was changed.',
    });
  }
  if (missing.length > 0) {
    throw new UpdateError('conflicts', `${missing.length} conflict(s) have no decision: write ${missing.join(', ')} (or <file>.absent for no file)`, {
      paths: missing, hint: 'Each conflicted file needs <file>.final (start from <file>.new and <file>.original) or an empty <file>.absent for no file at all, then run `apply --continue` again.',
    });
  }
  if (marked.length > 0) {
    throw new UpdateError('conflicts', `${marked.length} .final file(s) still hold conflict markers`, {
      paths: marked, hint: 'Remove the <<<<<<< ||||||| ======= >>>>>>> blocks, keeping what you want, and run `apply --continue` again.',
    });
  }
  return items;
}

/** The update's staged commit, with its generation's entries for the conflicts' helpers dropped (never kept). */
export async function stagedCommit({ home, ops }: Pack, j: Journal): Promise<CommitInput> {
  const file = join(layoutOf(home, j.generation).staging, STAGED_COMMIT);
  // Input like any record of the pack: what it names is written as state.json and the base manifest, and its
  // `drop` ids become folders deleted after the commit, so every part is checked before the job is built.
  const damaged = (what: string) => new UpdateError('invalid-input', `${file}: ${what}`, {
    hint: 'The staged commit is damaged or was not written by this wso2update; nothing was changed. Run `wso2update revert` to undo the waiting update.',
  });
  if ((await ops.lstat(file)) === null) throw damaged('is missing (the waiting update\'s commit is staged there)');
  const c = parseJsonText((await ops.readFile(file)).toString('utf8'), file) as Partial<StagedCommitFile> | null;
  if (c === null || typeof c !== 'object' || Array.isArray(c)) throw damaged('is not an object');
  const g = parseChecked<GenerationFile>('generation', JSON.stringify(c.generation ?? null), file);
  for (const e of g.entries) assertSafePath(e.path, file);
  validate<PackState>('state', c.state, `${file} (state)`);
  validate<Manifest>('manifest', c.manifest, `${file} (manifest)`);
  if (!Array.isArray(c.drop) || !c.drop.every((id) => typeof id === 'string' && RECORD_ID.test(id))) throw damaged('drop must list generation ids');
  if (typeof c.keepOwnGeneration !== 'boolean') throw damaged('keepOwnGeneration must be true or false');
  const staged = { ...(c as StagedCommitFile), generation: g };
  checkStagedCommit(staged, j, await readState(openPack(home, ops)), file);
  return { ...staged, manifest: { manifest: staged.manifest } };
}

/**
 * The job that ends the wait by installing each `.final`: its items are the finals (the user's file kept in the
 * generation) and the helpers to discard; the generation's record keeps every entry but the helpers', the finals'
 * are added from their planned steps. A helper always replaced nothing (from-plan refuses names already taken).
 */
async function continueJob(pack: Pack, j: Journal): Promise<ApplyJob> {
  const { home, ops } = pack;
  const finals = await checkFinals(pack, j);
  const discards: Item[] = [];
  for (const c of j.conflicts) {
    for (const path of HELPER_SUFFIXES.map((s) => `${c.path}${s}`)) {
      const before = await observe(home, path, undefined, ops);
      if (before.kind !== 'absent') discards.push({ path, before, after: { kind: 'absent' }, source: null, discard: true });
    }
  }
  const commit = await stagedCommit(pack, j);
  const helpers = new Set(j.conflicts.flatMap((x) => [`${x.path}.original`, `${x.path}.new`]));
  const entries = commit.generation.entries.filter((e) => !helpers.has(e.path));
  const items = [...finals, ...discards];
  return {
    ...runIdentity(j), generation: j.generation,
    preconditions: Object.fromEntries(items.map((it) => [it.path, it.before])), items, conflicts: [],
    commit: { ...commit, generation: { ...commit.generation, entries } }, resumes: j,
  };
}

export async function continueApply(unguarded: Pack, hooks: ApplyHooks = {}): Promise<ApplyOutcome> {
  const pack = withOps(unguarded, guardFs(unguarded.home, unguarded.ops));
  const { home, ops } = pack;
  const j = (await assertPending(pack, ['waiting'])).journal as Journal;
  await checkJournal(ops, layoutOf(home, j.generation), j);
  return runJob(await continueJob(pack, j), { pack, repo: null, hooks });
}
