// The build-time check of the single executable's code (scripts/lib/sea-build.mjs, issue 17): no dynamic import()
// left to run time (the executable runs its code through vm, where every one fails: "A dynamic import callback was
// not specified"), and no logic on class or function names, which minification renames ("err.name === 'CACError'"
// stopped matching). Checked on real esbuild output, and on the shapes a hand-written check could miss.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { computedImports, nameLogic, runtimeImports } from '../../scripts/lib/sea-build.mjs';
import { tmpDir } from '../helpers/tmp.js';

async function metafileOf(files: Record<string, string>): Promise<{ inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }> }> {
  const dir = tmpDir('sea-check-');
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const r = await build({ entryPoints: [join(dir, 'main.js')], bundle: true, platform: 'node', format: 'cjs', write: false, metafile: true, logLevel: 'silent' });
  return r.metafile as never;
}

test('a dynamic import() of a built-in, a package or a computed name is found; bundled ones and static imports are not', async () => {
  const found = runtimeImports(await metafileOf({
    'main.js': [
      "import { readFileSync } from 'node:fs';",
      "export async function a() { return import('node:readline/promises'); }",
      "export async function b() { return import('./lazy.js'); }", // bundled: esbuild turns it into a require
      "export async function c(n) { return import(n); }",
      'export const d = readFileSync;',
    ].join('\n'),
    'lazy.js': 'export const x = 1;\n',
  }));
  assert.ok(found.some((f) => f.includes('node:readline/promises')), found.join('\n'));
  assert.not.ok(found.some((f) => f.includes('lazy.js')), found.join('\n'));
  assert.not.ok(found.some((f) => f.includes('node:fs')), 'a static import is bundled as a require');
  // A computed name is neither bundled nor listed by esbuild: the text check of our own modules finds it.
  assert.is(computedImports('f.js', 'export async function c(n) { return import(n); }').length, 1);
  assert.is(computedImports('f.js', 'const m = await import (`node:${x}`);').length, 0, 'a template literal is a literal: the metafile lists it');
  assert.equal(computedImports('f.js', "load: () => import('./commands/plan.js'), x.import(y), reimport(z)"), []);
});

test('logic on class names is found in its spellings; names the runtime sets as data, and command names, are not', () => {
  const bad = [
    "if (err.name === 'CACError') x();",
    'if (e?.name!=="UpdateError") y();',
    "const t = 'TypeError' === err.name;",
    'switch (x.constructor.name) {}',
    'if (e.name == `CACError`) z();',
  ];
  for (const line of bad) assert.is(nameLogic('f.js', line).length, 1, line);
  const good = [
    "if (err.name === 'AbortError') stop();",
    "if (err.name === 'TimeoutError') stop();",
    "if (spec.name === 'self-update') skip();",
    "if (c.name === name) pick();",
    "this.name = 'UpdateError';",
    'if (err instanceof UpdateError) a();',
  ];
  for (const line of good) assert.equal(nameLogic('f.js', line), [], line);
});

test.run();
