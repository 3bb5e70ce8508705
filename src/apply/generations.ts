// Generations: what one apply moved aside (files/<path>) and recorded (generation.json), kept so revert can restore
// it. The pack keeps `keepGenerations` of them (default 3); the oldest are dropped by the commit that exceeds it.
import { join } from 'node:path';
import { digestOf } from '../core/canonical.js';
import type { GenerationRecord, PackState, Sha256 } from '../core/model.js';
import { assertSafePath } from '../core/paths.js';
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

export async function readGeneration(ops: FsOps, home: string, id: string): Promise<GenerationFile> {
  const file = join(generationDir(home, id), 'generation.json');
  const g = parseChecked<GenerationFile>('generation', (await ops.readFile(file)).toString('utf8'), file);
  for (const e of g.entries) {
    assertSafePath(e.path, file);
    if (e.created !== null) assertSafePath(e.created, file);
  }
  return g;
}
