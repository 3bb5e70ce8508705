#!/usr/bin/env node
// The installed entry point. It runs dist/bundle/wso2update.cjs, the one-file CommonJS bundle of the compiled CLI that
// the single executable also runs (npm's `prepare` builds dist/ and the bundle), with a V8 code cache beside it
// (src/io/script-cache.ts: Node 20 has no compile cache for ES modules). It runs the compiled modules themselves when
// the bundle is missing or older than them, so a `tsc`-only rebuild never runs stale code.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const bundle = fileURLToPath(new URL('../dist/bundle/wso2update.cjs', import.meta.url));

if (mtime('../dist/bundle/wso2update.cjs') >= mtime('../dist/cli/main.js')) {
  const { loadCachedScript } = await import('../dist/io/script-cache.js');
  // The first word that is not an option names the command, whose own cache holds the functions it runs.
  const command = process.argv.slice(2).find((a) => !a.startsWith('-')) ?? 'other';
  const code = loadCachedScript(bundle, process.version, command);
  // The run is over and `exit` is its truth: the cache is written inside exitProcess, under the signal listeners that
  // keep a SIGTERM there from ending a finished apply as "killed" (test/cli/apply/interrupt.test.ts).
  code.exports.main(process.argv).then((exit) => code.exports.exitProcess(exit, () => code.save()));
} else {
  const { main, exitProcess } = await import('../dist/cli/main.js');
  main(process.argv).then(exitProcess);
}
