// ajv's errors in words a person acts on: "level must be a whole number", "fixes[0] is missing the field \"id\"".
// Only the wording lives here; validate.ts adds the file, line and column and the value as it was written.
import type { ErrorObject } from 'ajv';

/** Patterns of our schemas, said in words. */
const PATTERN_WORDS: Record<string, string> = {
  '^([0-9a-zA-Z-]+)-([0-9]+\\.[0-9]+\\.[0-9]+)$': 'must be <name>-<x.y.z>, like wso2am-4.2.0',
  '^[0-9a-f]{64}$': 'must be a sha256 (64 lowercase hex digits)',
  '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$': 'must be a date written YYYY-MM-DD',
  '^(0|[1-9][0-9]{0,8})$': 'must be a level number (a whole number without leading zeros)',
  '^0[0-7]{3}$': 'must be an octal mode written like "0644"',
};

const TYPE_WORDS: Record<string, string> = {
  integer: 'a whole number',
  number: 'a number',
  string: 'text',
  object: 'a mapping of fields',
  array: 'a list',
  boolean: 'true or false',
  null: 'null',
};

export interface SchemaProblem {
  /** JSON-pointer segments of the value concerned (unescaped). */
  segments: string[];
  /** For unknown fields and bad field names: the key to point at. */
  key?: string;
  /** "level", "fixes[0].id" */
  where: string;
  /** "must be a whole number" */
  text: string;
  /** Whether the value itself should be shown ("got ..."). */
  showValue: boolean;
}

export function pointerSegments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** "files[\"lib/a.jar\"].sha256", "fixes[0].id": readable and unambiguous. */
export function describePath(segments: string[], root: unknown): string {
  let out = '';
  let node: unknown = root;
  for (const seg of segments) {
    if (Array.isArray(node)) out += `[${seg}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
  }
  return out;
}

/** Turns ajv errors into problems, dropping the echoes ajv adds (generic propertyNames, discriminator mapping). */
export function problemsOf(errors: ErrorObject[], root: unknown): SchemaProblem[] {
  const out: SchemaProblem[] = [];
  for (const e of errors) {
    if (e.keyword === 'propertyNames' || e.keyword === 'discriminator' || e.keyword === 'if') continue;
    const segments = pointerSegments(e.instancePath);
    const where = describePath(segments, root) || 'the file';
    const p = e.params as Record<string, unknown>;
    const base = { segments, where, showValue: true };
    if (e.propertyName !== undefined) {
      out.push({ ...base, key: e.propertyName, where: `${where}: the name ${JSON.stringify(e.propertyName)}`,
        text: PATTERN_WORDS[String(p.pattern)] ?? `must match ${String(p.pattern)}`, showValue: false });
      continue;
    }
    switch (e.keyword) {
      case 'type': out.push({ ...base, text: `must be ${TYPE_WORDS[String(p.type)] ?? String(p.type)}` }); break;
      case 'required': out.push({ ...base, text: `is missing the field "${String(p.missingProperty)}"`, showValue: false }); break;
      case 'additionalProperties':
        out.push({ ...base, key: String(p.additionalProperty), text: `has an unknown field "${String(p.additionalProperty)}"`, showValue: false });
        break;
      case 'pattern': out.push({ ...base, text: PATTERN_WORDS[String(p.pattern)] ?? `must match ${String(p.pattern)}` }); break;
      case 'enum': out.push({ ...base, text: `must be one of ${(p.allowedValues as unknown[]).map(String).join(', ')}` }); break;
      case 'const': out.push({ ...base, text: `must be ${JSON.stringify(p.allowedValue)}` }); break;
      case 'minimum': out.push({ ...base, text: `must be ${String(p.limit)} or more` }); break;
      case 'minLength': out.push({ ...base, text: p.limit === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters` }); break;
      case 'maxLength': out.push({ ...base, text: `must be at most ${String(p.limit)} characters` }); break;
      default: out.push({ ...base, text: e.message ?? e.keyword });
    }
  }
  return out;
}
