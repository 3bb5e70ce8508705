// Validation of the applier's own formats (journal, generation record) against schemas/*.schema.json, with the
// validators compiled ahead of time, and then the path rules (core/record-paths.ts): the pack's own records are
// input like any other, and a forged one must be refused here, at load, before a single step runs.
import type { ValidateFunction } from 'ajv';
import { UpdateError } from '../core/errors.js';
import { quote } from '../core/quote.js';
import { recordPathProblem, type OwnFiles } from '../core/record-paths.js';
// Compiled ahead of time from schemas/ (scripts/lib/gen-validators.mjs): no ajv to load on every apply.
import * as generated from './schema-validators.gen.js';
import { parseJsonText } from './validate.js';

const compiled = generated as unknown as Record<'journal' | 'generation', ValidateFunction>;
const HINT = 'The file is damaged or was not written by this wso2update; nothing was changed. Restore it from a backup of the pack.';

interface StepLike { path: string; created: string | null; pruned: string | null }

/** Every path a record names, with whether it may be one of the commit's own files under updates/. */
function recordPaths(name: 'journal' | 'generation', v: unknown): [unknown, OwnFiles][] {
  if (name === 'generation') {
    return (v as { entries: { path: string; created: string | null }[] }).entries.flatMap((e) => [[e.path, 'changelog'], ...(e.created === null ? [] : [[e.created, 'none']])] as [unknown, OwnFiles][]);
  }
  const j = v as { steps: StepLike[]; resolveSteps: StepLike[]; conflicts: { path: string }[] };
  const out: [unknown, OwnFiles][] = [];
  for (const s of [...j.steps, ...j.resolveSteps]) {
    out.push([s.path, 'commit']);
    if (s.created !== null) out.push([s.created, 'none']);
    if (s.pruned !== null) out.push([s.pruned, 'none']);
  }
  for (const c of j.conflicts) out.push([c.path, 'none']);
  return out;
}

/** Parses JSON text and checks it against `schemas/<name>.schema.json` and the record path rules. */
export function parseChecked<T>(name: 'journal' | 'generation', text: string, file: string): T {
  const fn = compiled[name];
  const value = parseJsonText(text, file, HINT);
  if (!fn(value)) {
    const e = fn.errors?.[0];
    throw new UpdateError('invalid-input', `${file}: ${e?.instancePath || '(root)'} ${e?.message ?? 'is invalid'}`, { hint: HINT });
  }
  for (const [p, own] of recordPaths(name, value)) {
    const problem = recordPathProblem(p, own);
    if (problem !== null) throw new UpdateError('hostile-path', `${file}: path ${quote(p)} ${problem}`, { hint: HINT });
  }
  return value as T;
}
