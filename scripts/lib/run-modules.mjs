// Runs the CLI from its compiled modules (dist/cli/main.js) instead of the minified bundle bin/wso2update.js runs:
// for the bench's CPU profile, whose buckets go by function names, which minification replaces.
// Usage: node [--cpu-prof ...] scripts/lib/run-modules.mjs COMMAND ARGS...
const { main } = await import(new URL('../../dist/cli/main.js', import.meta.url).href);
main(process.argv).then((code) => { process.exitCode = code; });
