// Generations: what one apply moved aside (files/<path>) and recorded (generation.json), kept so revert can restore
// it. The pack keeps `keepGenerations` of them (default 3); the oldest are dropped by the commit that exceeds it.
import { join } from 'node:path';
import { digestOf } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { GenerationRecord, PackState, Sha256 } from '../core/model.js';
import type { FsOps } from '../io/fsops.js';
import { parseChecked } from '../io/own-schemas.js';
import { stateDir } from '../io/state.js';
import type { GenerationFile } from './job.js';

export const generationDir = (home: string, id: string): string => join(stateDir(home), 'generations', id);

/**
 * A revert's generation id and the digest that stands in for its plan (a revert has no plan file), both from the
 * serial it starts at and the update it undoes (`undone`, which went fromLevel -> toLevel).
 */
export function revertIdentity(state: PackState, undone: string, fromLevel: number, toLevel: number): { id: string; planDigest: Sha256 } {
  return { id: `g${state.serial + 1}-r${toLevel}-${fromLevel}`, planDigest: digestOf({ revert: undone, serial: state.serial }) };
}

/** The state a commit records: new level, serial + 1, manifest digest, the generation appended, the oldest pruned. */
export function newState(state: PackState, record: GenerationRecord, manifestDigest: Sha256, opts: { level?: number; remove?: string[]; keepRecord?: boolean } = {}): { state: PackState; drop: string[] } {
  let gens = state.generations.filter((g) => !opts.remove?.includes(g.id));
  if (opts.keepRecord !== false) gens = [...gens, record];
  const keep = Math.max(1, state.keepGenerations);
  const drop = gens.slice(0, Math.max(0, gens.length - keep)).map((g) => g.id);
  gens = gens.slice(gens.length - Math.min(gens.length, keep));
  return {
    state: { ...state, level: opts.level ?? record.toLevel, serial: state.serial + 1, manifestDigest, generations: gens },
    drop: [...drop, ...(opts.remove ?? [])],
  };
}

/** A kept generation's record, checked like any input (parseChecked) and against the state record that names it. */
export async function readGeneration(ops: FsOps, home: string, id: string): Promise<GenerationFile> {
  const file = join(generationDir(home, id), 'generation.json');
  let text: string;
  try {
    text = (await ops.readFile(file)).toString('utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    throw new UpdateError('not-found', `the record of generation ${id} is missing: ${file}`, {
      hint: 'That generation cannot be reverted: it was removed or damaged outside wso2update. Nothing was changed.', cause: err,
    });
  }
  const g = parseChecked<GenerationFile>('generation', text, file);
  if (g.id !== id) {
    throw new UpdateError('invalid-input', `${file} is the record of generation ${g.id}, not of ${id}`, { hint: 'The generation folder was tampered with; nothing was changed.' });
  }
  return g;
}
