// The one rule for the records a pending run leaves in the pack: a record is checked against the record that owns
// it before anything acts on it. The journal is owned by the state it is pending on (same product and level, a
// generation of the next serial that the state does not record yet), and each step that recover would take out of
// the pack must find there the very file the run moved in; the staged commit (staging/commit.json) is owned by the
// waiting journal (it commits exactly that journal's generation, level and product, on that state). Recover,
// `apply --continue` and the revert of a waiting update go through here; what fails is refused, nothing changed.
import { join } from 'node:path';
import { canonicalJson, digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { runIdentity, type GenerationRecord, type PackState } from '../core/model.js';
import type { FsOps } from '../io/fsops.js';
import type { Journal, Step } from '../io/pending-run.js';
import { readState } from '../io/state.js';
import { parseJsonFile } from '../io/validate.js';
import { keptStateRel } from '../io/generations.js';
import type { ChangeLists, StagedCommitFile } from './job.js';
import { asideOf, movedIn, type Layout } from './steps.js';
import { openPack, packPaths } from '../io/pack.js';

function notOurs(home: string, what: string): UpdateError {
  return new UpdateError('invalid-input', `${packPaths(home).journal} does not belong to this pack's state: ${what}`, {
    hint: 'Nothing was changed. It is damaged or was not written by wso2update for this pack: if no update was interrupted here, move it out of updates/wso2update; else restore the pack from a backup.',
  });
}

/**
 * The state a journal is pending on: state.json, or, once the run's own step has moved it aside into the generation
 * (the commit's records are swapped like pack files), the copy kept there: when the new one is in place, or when a
 * kill between the step's two renames left no state.json at all.
 */
async function ownerState(ops: FsOps, gen: Layout, steps: readonly Step[]): Promise<PackState> {
  const own = steps.find((s) => s.path === keptStateRel && s.src !== null && s.aside);
  const kept = asideOf(gen, keptStateRel);
  const swapped = own !== undefined && ((await movedIn(ops, gen, own)) === true
    || ((await ops.lstat(join(gen.home, keptStateRel))) === null && (await ops.lstat(kept)) !== null));
  if (!swapped) return readState(openPack(gen.home, ops));
  return parseJsonFile<PackState>((await ops.readFile(kept)).toString('utf8'), kept, 'state');
}

/** The journal against the state it is pending on, and each step recover would undo against what is on disk. */
export async function checkJournal(ops: FsOps, l: Layout, j: Journal): Promise<void> {
  const steps = j.phase === 'resolving' ? j.resolveSteps : j.phase === 'swapping' ? j.steps : [];
  const gen = j.phase === 'resolving' ? { ...l, gen: join(l.gen, '..', j.resolveGeneration ?? j.generation) } : l;
  const state = await ownerState(ops, gen, steps);
  if (j.product !== state.product) throw notOurs(l.home, `it is for ${j.product}, the pack is ${state.product}`);
  if (j.fromLevel !== state.level) throw notOurs(l.home, `it starts from level ${j.fromLevel}, the pack is at level ${state.level}`);
  const recorded = new Set(state.generations.map((g) => g.id));
  for (const id of [j.generation, j.resolveGeneration]) {
    if (id === undefined) continue;
    // Every run names its generation after the serial it commits (g<serial+1>-...); a kept one is never reused.
    if (!id.startsWith(`g${state.serial + 1}-`) || recorded.has(id)) {
      throw notOurs(l.home, `generation ${id} is not the next one of this pack (serial ${state.serial}${recorded.has(id) ? `, and ${id} is already kept` : ''})`);
    }
  }
  const foreign: string[] = [];
  for (const s of steps) if ((await movedIn(ops, gen, s)) === false) foreign.push(s.path);
  if (foreign.length > 0) {
    throw new UpdateError('invalid-input', `${packPaths(l.home).journal} would take out of the pack ${foreign.length} file(s) the interrupted run did not put there: ${foreign.slice(0, 5).join(', ')}`, {
      paths: foreign,
      hint: 'Nothing was changed. The journal is damaged or was not written by wso2update for these files: move the journal out of updates/wso2update and check those files by hand.',
    });
  }
}

function damagedCommit(file: string, what: string): UpdateError {
  return new UpdateError('invalid-input', `${file}: ${what}`, {
    hint: 'The staged commit is damaged or was not written by this wso2update for the waiting update; nothing was changed. Run `wso2update revert` to undo the waiting update.',
  });
}

const sameRecord = (a: GenerationRecord, b: GenerationRecord): boolean => canonicalJson(a) === canonicalJson(b);

function isChangeLists(c: unknown): c is ChangeLists {
  if (c === null || typeof c !== 'object' || Array.isArray(c)) return false;
  const v = c as Record<string, unknown>;
  const strings = (x: unknown) => Array.isArray(x) && x.every((s) => typeof s === 'string');
  const outcomes = Array.isArray(v.conflicts) && v.conflicts.every((o: unknown) => o !== null && typeof o === 'object'
    && typeof (o as { path?: unknown }).path === 'string' && typeof (o as { outcome?: unknown }).outcome === 'string');
  return strings(v.added) && strings(v.updated) && strings(v.removed) && strings(v.merged) && outcomes;
}

/**
 * The staged commit of the waiting update `j` on `state` (each part already schema-valid): the generation is the
 * journal's, the new state is `state` one serial on at the journal's level with that generation appended (the others
 * kept as they are, or dropped as `drop` says), the manifest is the one the new state's digest names.
 */
export function checkStagedCommit(c: StagedCommitFile, j: Journal, state: PackState, file: string): void {
  const g = c.generation;
  const own = { id: j.generation, ...runIdentity(j) };
  const mine = { id: g.id, ...runIdentity(g) };
  if (canonicalJson(own) !== canonicalJson(mine)) throw damagedCommit(file, `its generation (${g.id}, ${g.fromLevel} -> ${g.toLevel}) is not the waiting update's (${j.generation}, ${j.fromLevel} -> ${j.toLevel})`);
  const s = c.state;
  for (const key of ['product', 'lineage', 'repository', 'keepGenerations', 'allowUnsigned', 'formatVersion'] as const) {
    if (canonicalJson(s[key] ?? null) !== canonicalJson(state[key] ?? null)) throw damagedCommit(file, `its state changes "${key}", which no update changes`);
  }
  if (s.serial !== state.serial + 1 || s.level !== j.toLevel) throw damagedCommit(file, `its state (level ${s.level}, serial ${s.serial}) is not level ${j.toLevel} at serial ${state.serial + 1}`);
  const kept = new Map(state.generations.map((r) => [r.id, r]));
  if (!c.drop.every((id) => kept.has(id))) throw damagedCommit(file, 'drop names a generation the pack does not keep');
  const last = s.generations.at(-1);
  const carried = s.generations.slice(0, -1);
  const expected = state.generations.filter((r) => !c.drop.includes(r.id));
  if (last?.id !== j.generation || last.fromLevel !== j.fromLevel || last.toLevel !== j.toLevel || last.planDigest !== j.planDigest || last.direction !== j.direction
    || carried.length !== expected.length || !carried.every((r, i) => sameRecord(r, expected[i]))) {
    throw damagedCommit(file, 'its state does not record the kept generations and the waiting update\'s as the commit would');
  }
  if (c.manifest.product !== j.product || c.manifest.level !== j.toLevel || digestOf(c.manifest) !== s.manifestDigest) {
    throw damagedCommit(file, `its manifest is not level ${j.toLevel} of ${j.product} as its state names it`);
  }
  if (c.changelog !== null && !isChangeLists(c.changelog)) throw damagedCommit(file, 'changelog must list paths (added, updated, removed, merged) and conflicts ({path, outcome})');
}
