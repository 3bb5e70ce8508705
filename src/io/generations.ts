// A kept generation as the pack stores it: generations/<id>/generation.json (what one apply replaced, removed or
// added) and files/<path> (the content it moved aside). Read here, below plan/ and apply/, because both need it:
// plan/revert.ts makes revert plans from these records, apply/ writes them (apply/commit-files.ts) and restores
// from them. Reading is checked like any input: a forged or swapped record is refused, never trusted.
import { join } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { Observed, RunIdentity } from '../core/model.js';
import type { Pack } from './pack.js';
import { parseChecked } from './record-schemas.js';
import { packPaths } from './pack.js';

/** One path of a generation: what was there before the apply, what it left, and the outermost folder it created. */
export interface GenerationEntry {
  path: string;
  before: Observed;
  after: Observed;
  created: string | null;
}

/** What generation.json records: enough to check drift and to plan the revert. */
export interface GenerationFile extends RunIdentity {
  formatVersion: 1;
  id: string;
  entries: GenerationEntry[];
}

/** The tool's records, relative to the pack, that an apply moves aside into its generation like any replaced file. */
export const STATE_REL = 'updates/wso2update/state.json';
export const MANIFEST_REL = 'updates/wso2update/manifest.json';
/** The from-level manifest copy kept in a generation: a revert's target manifest. */
export const keptManifestRel = MANIFEST_REL;
/** The state record kept in a generation: revert takes the applied hotfixes back from it. */
export const keptStateRel = STATE_REL;

export const generationDir = (home: string, id: string): string => join(packPaths(home).generations, id);

/** Where a generation keeps the content it moved aside from `rel` (a pack path). */
export const keptFile = (home: string, id: string, rel: string): string => join(generationDir(home, id), 'files', rel);

/** A kept generation's record, checked like any input (parseChecked) and against the state record that names it. */
export async function readGeneration(pack: Pack, id: string): Promise<GenerationFile> {
  const file = join(generationDir(pack.home, id), 'generation.json');
  let text: string;
  try {
    text = (await pack.ops.readFile(file)).toString('utf8');
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
