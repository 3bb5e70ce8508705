// Validation of the applier's own formats (journal, generation record) against schemas/*.schema.json, with the
// validators compiled ahead of time. Kept apart from validate.ts, whose messages serve the planning half's formats.
import type { ValidateFunction } from 'ajv';
import { UpdateError } from '../core/errors.js';
// Compiled ahead of time from schemas/ (scripts/lib/gen-validators.mjs): no ajv to load on every apply.
import * as generated from './schema-validators.gen.js';

const compiled = generated as unknown as Record<'journal' | 'generation', ValidateFunction>;

/** Parses JSON text and checks it against `schemas/<name>.schema.json`; errors name the file and the field. */
export function parseChecked<T>(name: 'journal' | 'generation', text: string, file: string): T {
  const fn = compiled[name];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new UpdateError('invalid-input', `${file} is not valid JSON: ${(err as Error).message}`, {
      hint: 'The file is damaged; nothing was changed. Restore it from a backup of the pack.', cause: err,
    });
  }
  if (!fn(value)) {
    const e = fn.errors?.[0];
    throw new UpdateError('invalid-input', `${file}: ${e?.instancePath || '(root)'} ${e?.message ?? 'is invalid'}`, {
      hint: 'The file was not written by this wso2update; nothing was changed.',
    });
  }
  return value as T;
}
