// The schemas themselves: each is a valid draft-07 schema under ajv's strict mode (run time skips the meta-schema
// check, so this is where a malformed schema is caught), and the validators compiled ahead of time into
// src/io/schema-validators.gen.ts are exactly what the schemas compile to now.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { generateValidators, NAMES, OPTIONS, OUT, SCHEMAS } from '../../scripts/lib/gen-validators.mjs';
import { validate } from '../../src/io/validate.js';

const files = readdirSync(SCHEMAS).filter((n) => n.endsWith('.schema.json')).sort();

test('every schema passes the draft-07 meta-schema and compiles in strict mode', () => {
  assert.ok(files.length >= 8, files.join(', '));
  const ajv = new Ajv({ ...OPTIONS, validateSchema: true });
  for (const f of files) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')), f);
  for (const f of files) {
    assert.ok(ajv.validateSchema(ajv.getSchema(f)?.schema ?? {}), `${f}: ${ajv.errorsText(ajv.errors)}`);
    assert.type(ajv.getSchema(f), 'function', f);
  }
});

test('a schema that breaks the meta-schema is caught here', () => {
  const ajv = new Ajv({ ...OPTIONS, validateSchema: true });
  assert.not.ok(ajv.validateSchema({ type: 'object', properties: { level: { type: 'whole number' } } }));
  assert.throws(() => ajv.compile({ type: 'object', properties: { level: { type: 'whole number' } } }), /schema is invalid/);
});

test('src/io/schema-validators.gen.ts is up to date with schemas/ (else run node scripts/lib/gen-validators.mjs)', () => {
  assert.ok(readFileSync(OUT, 'utf8') === generateValidators(), 'generated validators differ from schemas/: regenerate them');
});

test('the compiled validators agree with ajv compiling the schema at run time', () => {
  const ajv = new Ajv({ ...OPTIONS });
  for (const f of files) ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, f), 'utf8')), f);
  const cases: [string, unknown][] = [
    ['manifest', { formatVersion: 1, product: 'wso2am-4.2.0', level: 0, files: { 'a/b.jar': { kind: 'file', sha256: 'a'.repeat(64), size: 1, mode: '0644' } } }],
    ['manifest', { formatVersion: 1, product: 'wso2am-4.2.0', level: -1, files: { x: { kind: 'symlink', target: '' } } }],
    ['state', { formatVersion: 1 }],
    ['index', { formatVersion: 1, products: { 'wso2am-4.2.0': { levels: { 0: { manifest: 'a'.repeat(64), descriptor: 'b'.repeat(64) } } } } }],
    ['notes', { title: 'x', fixes: [{ id: '', title: 't' }] }],
    ['descriptor', { level: 1, date: '2024-13-01', title: 't', description: '', fixes: [], securityAdvisories: [], changes: { added: [], modified: [], removed: [] } }],
  ];
  for (const [name, value] of cases) {
    const fn = ajv.getSchema(`${name}.schema.json`);
    const ok = fn?.(value);
    let ours: unknown = null;
    try {
      validate(name as 'manifest', value, `${name}.json`);
    } catch (err) {
      ours = err;
    }
    assert.is(ours === null, ok === true, `${name}: ${JSON.stringify(value)}`);
  }
  assert.equal([...NAMES].sort(), files.map((f) => f.replace('.schema.json', '')));
});

test.run();
