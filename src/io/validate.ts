// The boundary check for every file format we read: parse (JSON or YAML 1.2), validate against schemas/*.schema.json
// (with validators compiled ahead of time), then check every path the file carries. Errors name the file, the line
// and column and the value as written; bad input changes nothing. Case collisions come back as warnings for the caller.
import type { ValidateFunction } from 'ajv';
import { UpdateError, type Diagnostic } from '../core/errors.js';
import { checkPathSet, comparePaths, keyTwins, pathProblem } from '../core/paths.js';
import type { BundleInfo, Descriptor, Entry, Fix, Advisory, Hotfix, Manifest, PackState, Plan, RepoIndex } from '../core/model.js';
import { jsonErrorOffset, lineColAt, locate, parseSource, yaml, type SourceDoc } from './source-position.js';
import { problemsOf } from './schema-messages.js';
import * as generated from './schema-validators.gen.js';
import { parseYamlSubset } from './yaml-subset.js';
import { scanJson, valueShapeProblem } from '../core/json-scan.js';
import { clip, quote, QUOTE_MAX } from '../core/quote.js';
import { assertManifestRules, rulesHoldOver } from '../core/manifest-rules.js';

import type { ToolRelease, ToolReleases } from '../core/tool-release.js';

/** What `publish --notes FILE.yaml` holds: the human fields of a descriptor. */
export interface NotesFile {
  title: string;
  description?: string;
  date?: string;
  fixes?: Fix[];
  securityAdvisories?: Advisory[];
}

export interface SchemaTypes {
  bundle: BundleInfo;
  manifest: Manifest;
  descriptor: Descriptor;
  index: RepoIndex;
  hotfix: Hotfix;
  notes: NotesFile;
  plan: Plan;
  state: PackState;
  toolrelease: ToolRelease;
  toolreleases: ToolReleases;
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
  // A hotfix's paths are pack paths like a manifest's; its removals too (never `..`, never absolute).
  hotfix: (h: Hotfix) => [[...Object.keys(h.files), ...h.removes]],
  state: (s: PackState) => (s.hotfixes ?? []).map((h) => [...Object.keys(h.files), ...h.removes]),
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
        // A hostile value is quoted cut to ~200 characters (core/quote), never whole.
        if (pos?.raw != null) got = /^["']/.test(pos.raw) ? clip(pos.raw, QUOTE_MAX) : quote(pos.raw);
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
    for (const [a, b] of checkPathSet(set, file).caseCollisions) warnings?.push(twinWarning(file, a, b));
  }
  if (name === 'manifest') assertManifestRules((value as Manifest).files, file);
  if (name === 'hotfix') assertManifestRules((value as Hotfix).files, file);
  return value as T;
}

/** Two paths that one file system may store as one (case, or Unicode normalization): reported, never silent. */
export function twinWarning(file: string, a: string, b: string): Diagnostic {
  const how = a.toLowerCase() === b.toLowerCase() ? 'only in case' : 'only in Unicode normalization or case';
  return { severity: 'warning', code: 'invalid-input', summary: `${file}: ${quote(a)} and ${quote(b)} differ ${how}`,
    hint: 'They are one file on case-insensitive or normalizing file systems (Windows, macOS): apply refuses them there.' };
}

function shortJson(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/**
 * The one JSON reader of every file we read (ours, the repository's, WSO2's config.json): duplicate keys, nesting
 * depth and container sizes are checked first (core/json-scan.ts), then JSON.parse; errors name the file, line and
 * column, never the text around them (config.json may hold credentials).
 */
export function parseJsonText(text: string, file: string, hint = fixHint(file)): unknown {
  const problem = scanJson(text);
  if (problem !== null) {
    throw new UpdateError('invalid-input', `${at(file, lineColAt(text, problem.offset))}: ${problem.message}`, { hint });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const msg = (err as Error).message;
    const pos = lineColAt(text, jsonErrorOffset(text, msg));
    throw new UpdateError('invalid-input', `${at(file, pos)}: not valid JSON (${clip(msg.replace(/, (\.\.\.)?".*" is not valid JSON$/s, '').replace(/ (in|after) JSON at position \d+/, '').replace(/ in JSON at position.*$/s, ''), 120)})`, {
      hint, cause: err,
    });
  }
}

export function parseJsonFile<T>(text: string, file: string, name: SchemaName, warnings?: Warnings): T {
  return validateParsedJson<T>(name, parseJsonText(text, file), text, file, warnings);
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

/**
 * A manifest read while `checked` (one this process or a kept verdict vouches passed every check of parseJsonFile)
 * is at hand: the same checks with the same outcome, at the cost of the entries the two ship differently. Duplicate
 * keys and the JSON are checked whole; then the schema, the path rules and the manifest rules only on the entries
 * `checked` does not ship alike, and the case twins over every path (folding is cheap; the twins need all). Whatever
 * this cannot prove fine is checked in full by parseJsonFile's own code, which names the problem: one rule set, one
 * message, and the shortcut only ever accepts what the full check accepts (test/io/manifest-over.test.ts).
 */
export function parseManifestOver(text: string, file: string, checked: Manifest, warnings?: Warnings): Manifest {
  const value = parseJsonText(text, file);
  const twins = provenLike(value, checked);
  if (twins === null) return validateParsedJson<Manifest>('manifest', value, text, file, warnings);
  for (const [a, b] of twins) warnings?.push(twinWarning(file, a, b));
  return value as Manifest;
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Whether `x` (anything JSON.parse made) is exactly the checked entry `e`: the same fields, no others. */
function sameAs(x: unknown, e: Entry): boolean {
  if (!isRecord(x) || x.kind !== e.kind) return false;
  if (e.kind === 'file' ? x.sha256 !== e.sha256 || x.size !== e.size || x.mode !== e.mode : x.target !== e.target) return false;
  let fields = 0; // counted, not listed: Object.keys made an array per entry, 12,000 per manifest
  for (const k in x) if (Object.hasOwn(x, k)) fields += 1;
  return fields === (e.kind === 'file' ? 4 : 2);
}

/** The case twins of `value` when it provably passes every manifest check, given `checked`; else null. */
function provenLike(value: unknown, checked: Manifest): [string, string][] | null {
  if (!isRecord(value) || !isRecord(value.files)) return null;
  const files = value.files;
  const paths = Object.keys(files);
  const changed = paths.filter((p) => !(Object.hasOwn(checked.files, p) && sameAs(files[p], checked.files[p])));
  // fromEntries defines each key as its own property: a path named __proto__ stays an entry, never a prototype.
  const delta = { ...value, files: Object.fromEntries(changed.map((p) => [p, files[p]])) };
  if (!validatorOf('manifest')(delta) || changed.some((p) => pathProblem(p) !== null)) return null;
  // Object keys come in insertion order except integer-like ones ("7"), which JSON.parse puts first.
  const sorted = paths.every((p, i) => i === 0 || comparePaths(paths[i - 1], p) < 0) ? paths : [...paths].sort(comparePaths);
  if (!rulesHoldOver(files as Record<string, Entry>, changed, checked.files, sorted)) return null;
  return keyTwins(paths, (p) => Object.hasOwn(files, p));
}

/**
 * What a parser throws on hostile sizes (a stack overflow on deep nesting, yaml's alias-count guard) is a problem of
 * the file, said as one: never an internal error.
 */
function resourceError(err: unknown, file: string): never {
  if (err instanceof UpdateError) throw err;
  const msg = err instanceof Error ? err.message : String(err);
  const what = err instanceof RangeError ? 'is nested too deeply to read' : /alias/i.test(msg) ? 'uses too many aliases (a YAML alias bomb?)' : `cannot be read (${clip(msg, 120)})`;
  throw new UpdateError('invalid-input', `${file} ${what}`, { hint: fixHint(file), cause: err });
}

function checkShape(value: unknown, file: string): void {
  const problem = valueShapeProblem(value);
  if (problem !== null) throw new UpdateError('invalid-input', `${file}: ${problem}`, { hint: fixHint(file) });
}

export function parseYamlFile<T>(text: string, file: string, name: SchemaName, warnings?: Warnings): T {
  try {
    return readYaml<T>(text, file, name, warnings);
  } catch (err) {
    return resourceError(err, file);
  }
}

function readYaml<T>(text: string, file: string, name: SchemaName, warnings?: Warnings): T {
  // What publish writes is read by a small subset reader; other files by yaml without position tracking. Only a
  // file with a problem is parsed again, with positions, to say where the problem is.
  let value: unknown = parseYamlSubset(text);
  if (value === null) {
    const fast = yaml().parseDocument(text, { version: '1.2' });
    value = fast.errors.length === 0 ? fast.toJS({ maxAliasCount: 100 }) : undefined;
  }
  if (value !== undefined) {
    checkShape(value, file);
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
    const what = /call stack/i.test(bad.message) ? 'nested too deeply to read' : `not valid YAML: ${bad.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`;
    throw new UpdateError('invalid-input', `${at(file, pos)}: ${what}`, {
      detail: bad.message.split('\n').slice(1).join('\n').trim() || undefined,
      hint: fixHint(file), cause: bad,
    });
  }
  const full = src.doc.toJS({ maxAliasCount: 100 });
  checkShape(full, file);
  return validate<T>(name, full, file, warnings, src);
}
