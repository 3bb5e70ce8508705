// The boundary check for every file format we read: parse (JSON or YAML 1.2), validate against schemas/*.schema.json
// (with validators compiled ahead of time), then check every path the file carries. Errors name the file, the line
// and column and the value as written; bad input changes nothing. Case collisions come back as warnings for the caller.
import type { ValidateFunction } from 'ajv';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import { checkPathSet } from '../core/paths.js';
import type { Descriptor, Fix, Advisory, Manifest, PackState, Plan, RepoIndex } from '../core/model.js';
import { jsonErrorOffset, lineColAt, locate, parseSource, yaml, type SourceDoc } from './source-position.js';
import { problemsOf } from './schema-messages.js';
import * as generated from './schema-validators.gen.js';
import { parseYamlSubset } from './yaml-subset.js';

/** What `publish --notes FILE.yaml` holds: the human fields of a descriptor. */
export interface NotesFile {
  title: string;
  description?: string;
  date?: string;
  fixes?: Fix[];
  securityAdvisories?: Advisory[];
}

export interface SchemaTypes {
  manifest: Manifest;
  descriptor: Descriptor;
  index: RepoIndex;
  notes: NotesFile;
  plan: Plan;
  state: PackState;
}
export type SchemaName = keyof SchemaTypes;

/** Where case-collision warnings go, when a caller wants them (they never stop a read). */
export type Warnings = Diagnostic[];

/**
 * The validators, compiled ahead of time from schemas/ (scripts/lib/gen-validators.mjs): loading ajv and compiling
 * the schemas at run time cost each command 40-100 ms. test/io/schemas.test.ts keeps the generated code equal to
 * what the schemas compile to, and checks the schemas against ajv's meta-schema.
 */
const VALIDATORS = generated as unknown as Record<SchemaName, ValidateFunction>;

function validatorOf(name: SchemaName): ValidateFunction {
  const fn = VALIDATORS[name];
  if (typeof fn !== 'function') throw new UpdateError('internal', `schema ${name}.schema.json has no compiled validator`);
  return fn;
}

const PATH_SETS: Partial<Record<SchemaName, (v: never) => string[][]>> = {
  manifest: (m: Manifest) => [Object.keys(m.files)],
  descriptor: (d: Descriptor) => [[...d.changes.added, ...d.changes.modified, ...d.changes.removed]],
  plan: (p: Plan) => [Object.keys(p.preconditions ?? {}), (p.actions ?? []).map((a) => a.path)],
};

const fixHint = (file: string) => `Correct ${file} (or publish it again) and re-run the command; nothing was changed.`;

function at(file: string, pos: { line: number; col: number } | null): string {
  return pos ? `${file}:${pos.line}:${pos.col}` : file;
}

/**
 * Schema and path checks of an already-parsed value (plan and state plug in by name: schemas/<name>.schema.json).
 * `src` (when the text is known) gives positions. Returns the value, typed by the caller: `validate<Plan>('plan', ...)`.
 */
export function validate<T>(name: SchemaName, value: unknown, file: string, warnings?: Warnings, src?: SourceDoc): T {
  const fn = validatorOf(name);
  if (!fn(value)) {
    const source = src ?? null;
    const lines = problemsOf(fn.errors ?? [], value).map((p) => {
      const pos = source ? locate(source, p.segments, p.key) : null;
      let got = '';
      if (p.showValue) {
        if (pos?.raw != null) got = /^["']/.test(pos.raw) ? pos.raw : JSON.stringify(pos.raw);
        else got = shortJson(p.segments.reduce<unknown>((n, s) => (n as Record<string, unknown> | undefined)?.[s], value));
      }
      return `${at(file, pos)}: ${p.where} ${p.text}${got ? `, got ${got}` : ''}`;
    });
    throw new UpdateError('invalid-input', lines[0], {
      detail: lines.length > 1 ? lines.slice(0, 20).join('\n') + (lines.length > 20 ? `\n... and ${lines.length - 20} more` : '') : undefined,
      hint: fixHint(file),
    });
  }
  for (const set of PATH_SETS[name]?.(value as never) ?? []) {
    for (const [a, b] of checkPathSet(set, file).caseCollisions) {
      warnings?.push({ severity: 'warning', code: 'invalid-input', summary: `${file}: "${a}" and "${b}" differ only in case`,
        hint: 'They overwrite each other on case-insensitive file systems (Windows, macOS).' });
    }
  }
  return value as T;
}

function shortJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

export function parseJsonFile<T>(text: string, file: string, name: SchemaName, warnings?: Warnings): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = lineColAt(text, jsonErrorOffset(text, msg));
    throw new UpdateError('invalid-input', `${at(file, pos)}: not valid JSON (${msg.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '').replace(/ (in|after) JSON at position \d+/, '')})`, {
      hint: fixHint(file), cause: err,
    });
  }
  return validateParsedJson<T>(name, value, text, file, warnings);
}

/** The checks of parseJsonFile for a value the caller already parsed from `text` (which locates problems). */
export function validateParsedJson<T>(name: SchemaName, value: unknown, text: string, file: string, warnings?: Warnings): T {
  // Positions are worked out only when something is wrong: JSON is YAML 1.2, so the YAML parser locates nodes.
  try {
    return validate<T>(name, value, file, warnings);
  } catch (err) {
    if (!(err instanceof UpdateError) || err.code !== 'invalid-input') throw err;
    return validate<T>(name, value, file, warnings, parseSource(text));
  }
}

export function parseYamlFile<T>(text: string, file: string, name: SchemaName, warnings?: Warnings): T {
  // What publish writes is read by a small subset reader; other files by yaml without position tracking. Only a
  // file with a problem is parsed again, with positions, to say where the problem is.
  let value: unknown = parseYamlSubset(text);
  if (value === null) {
    const fast = yaml().parseDocument(text, { version: '1.2' });
    value = fast.errors.length === 0 ? fast.toJS({ maxAliasCount: 100 }) : undefined;
  }
  if (value !== undefined) {
    try {
      return validate<T>(name, value, file, warnings);
    } catch (err) {
      if (!(err instanceof UpdateError) || err.code !== 'invalid-input') throw err;
    }
  }
  const src = parseSource(text);
  const bad = src.doc.errors[0];
  if (bad) {
    const pos = bad.linePos?.[0] ?? null;
    throw new UpdateError('invalid-input', `${at(file, pos)}: not valid YAML: ${bad.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`, {
      detail: bad.message.split('\n').slice(1).join('\n').trim() || undefined,
      hint: fixHint(file), cause: bad,
    });
  }
  return validate<T>(name, src.doc.toJS({ maxAliasCount: 100 }), file, warnings, src);
}
