// Validation of the applier's own formats (journal, generation record) against schemas/*.schema.json, compiled
// once each. Kept apart from validate.ts, whose schema set serves the planning half's formats.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { UpdateError } from '../core/errors.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'schemas');
const compiled = new Map<string, ValidateFunction>();

/** Parses JSON text and checks it against `schemas/<name>.schema.json`; errors name the file and the field. */
export function parseChecked<T>(name: 'journal' | 'generation', text: string, file: string): T {
  let fn = compiled.get(name);
  if (!fn) {
    fn = new Ajv({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(DIR, `${name}.schema.json`), 'utf8')));
    compiled.set(name, fn);
  }
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
