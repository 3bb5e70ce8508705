#!/usr/bin/env node
// `npm run build` (and `prepare`) after tsc: bundles the compiled CLI (dist/) into dist/bundle/wso2update.cjs, one
// CommonJS file with its dependencies inlined, made by the very function that makes the single executable's code
// bundle (scripts/lib/sea-build.mjs), so the checkout runs the code the executable runs. bin/wso2update.js runs it
// with a V8 code cache (src/io/script-cache.ts); loading ~60 ES modules, or even a few chunks, cost each process more
// than one cached script does (BENCH.md). bin/wso2update.js falls back to dist/cli/main.js when the bundle is older.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { bundleJs } from './lib/sea-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/bundle`;
rmSync(outdir, { recursive: true, force: true }); // the old bundle's code cache with it
mkdirSync(outdir, { recursive: true });
writeFileSync(`${outdir}/wso2update.cjs`, await bundleJs(`${root}dist/cli/main.js`));
