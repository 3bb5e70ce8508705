#!/usr/bin/env node
// The installed entry point: the bundle of the compiled CLI (npm's `prepare` builds dist/ and dist/bundle/), or the
// compiled modules themselves when the bundle is missing or older than them (a `tsc`-only rebuild must not run stale code).
import { statSync } from 'node:fs';

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundled = mtime('../dist/bundle/wso2update.mjs') >= mtime('../dist/cli/main.js');
const { main } = await (bundled ? import('../dist/bundle/wso2update.mjs') : import('../dist/cli/main.js'));

main(process.argv).then((code) => { process.exitCode = code; });
