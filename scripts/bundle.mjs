#!/usr/bin/env node
// `npm run build` (and `prepare`) after tsc: bundles the compiled CLI (dist/) into dist/bundle/, one entry chunk plus
// one chunk per lazily imported command, dependencies inlined. Loading ~60 small modules cost each process 10-14 ms
// more than a few chunks do (BENCH.md); bin/wso2update.js falls back to dist/cli/main.js when the bundle is older.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: { wso2update: `${root}dist/cli/main.js` },
  bundle: true,
  splitting: true, // keeps `import('./commands/x.js')` lazy: each command is its own chunk
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outdir, // two levels below the root like dist/cli/, so paths made from import.meta.url (schemas/) still resolve
  chunkNames: '[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  // Inlined CommonJS dependencies call require() for Node built-ins, which ESM output lacks: give them one.
  banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
  logLevel: 'warning',
});
