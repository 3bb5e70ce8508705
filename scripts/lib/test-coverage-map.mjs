#!/usr/bin/env node
// Which src/ modules a test imports (issue 21): prints the share of src/ modules that at least one test file
// (test/**/*.test.ts) imports directly, then the modules none does, one a line, so the note can quote it.
// Direct imports only: a module reached through a helper or another module is not "tested" by that; the helpers'
// own imports are marked apart. It reads import lines only, never runs a test. Exit 0 always: it is a report.
//   node scripts/lib/test-coverage-map.mjs [--json]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function walk(dir, keep) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p, keep));
    else if (keep(name)) out.push(p);
  }
  return out;
}

// Static `from '…'`, bare `import '…'` and lazy `import('…')`: the three ways a test file reaches a module. A type-only
// import (`import type …`) runs nothing of the module, so it does not count.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** The src/ modules (relative to `root`, .ts) that one file imports. */
export function importsOf(file, root = ROOT) {
  const text = readFileSync(file, 'utf8').replace(/^\s*import\s+type\s[^;]*;/gm, '');
  const out = new Set();
  for (const m of text.matchAll(SPECIFIER)) {
    const target = relative(root, resolve(dirname(file), m[1])).replace(/\.js$/, '.ts');
    if (target.startsWith('src/') && target.endsWith('.ts')) out.add(target);
  }
  return out;
}

/** The map the report prints: every src/ module of `root`, and the test files that import it. */
export function coverageMap(root = ROOT) {
  const modules = walk(join(root, 'src'), (n) => n.endsWith('.ts')).map((p) => relative(root, p));
  const tests = walk(join(root, 'test'), (n) => n.endsWith('.test.ts'));
  const helpers = walk(join(root, 'test', 'helpers'), (n) => n.endsWith('.ts'));
  const byModule = new Map(modules.map((m) => [m, []]));
  for (const t of tests) for (const m of importsOf(t, root)) byModule.get(m)?.push(relative(root, t));
  const viaHelpers = new Set(helpers.flatMap((h) => [...importsOf(h, root)]));
  return { modules, byModule, viaHelpers };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { modules, byModule, viaHelpers } = coverageMap();
  const untested = modules.filter((m) => byModule.get(m).length === 0);
  const covered = modules.length - untested.length;
  const share = ((100 * covered) / modules.length).toFixed(1);
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ modules: modules.length, imported: covered, share: Number(share), untested }, null, 2));
  } else {
    console.log(`${covered} of ${modules.length} src/ modules (${share}%) are imported by at least one test file.`);
    if (untested.length > 0) {
      console.log(`Imported by no test file (${untested.length}; * = reached only through test/helpers):`);
      for (const m of untested) console.log(`  ${m}${viaHelpers.has(m) ? ' *' : ''}`);
    }
  }
}
