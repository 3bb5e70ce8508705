#!/usr/bin/env node
// `npm run dist`: the single executables of wso2update in dist/release/ (scripts/lib/sea-build.mjs makes them), the
// code bundle that small self-updates download, release.json (what `publish-tool` publishes) and SHA256SUMS.
//   node scripts/dist.mjs [--platforms linux-x64,linux-arm64,darwin-x64,win32-x64 | --code-only] [--tool-version V] [--out DIR] [--cache DIR]
// (--code-only: the code bundle alone, a release that the executables of the same runtime take without a new Node;
// it goes to dist/release-code/ unless --out says otherwise, so a full build's executables stay)
// The Node binaries are cached in --cache (default node_modules/.cache/wso2update-node); run `npm run build` first
// (`npm run dist` does).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { assertNodeVersion, buildBlob, buildCode, buildExecutable, CODE_FILE, NODE_VERSION, PLATFORMS, sha256 } from './lib/sea-build.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({ options: { platforms: { type: 'string' }, 'tool-version': { type: 'string' }, out: { type: 'string' }, cache: { type: 'string' }, 'code-only': { type: 'boolean' } } });
assertNodeVersion();
const { TOOL_VERSION } = await import(join(root, 'dist/core/version.js'));
const { runtimeId } = await import(join(root, 'dist/core/code-bundle.js'));
const { EXECUTABLE_NAMES } = await import(join(root, 'dist/core/tool-release.js'));
const version = values['tool-version'] ?? TOOL_VERSION;
const platforms = values['code-only'] ? [] : values.platforms ? values.platforms.split(',') : Object.keys(PLATFORMS);
// A code-only release goes to a folder of its own by default, so the executables of a full build are kept.
const out = resolve(values.out ?? join(root, values['code-only'] ? 'dist/release-code' : 'dist/release'));
const cache = resolve(values.cache ?? join(root, 'node_modules/.cache/wso2update-node'));
const started = Date.now();

// The folder is made anew (release.json and SHA256SUMS must list exactly what is there); say what an earlier build
// left that this one does not write again, rather than delete it silently.
const earlier = existsSync(out) ? readdirSync(out).filter((n) => !n.startsWith('.')) : [];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const code = await buildCode(root, version);
writeFileSync(join(out, CODE_FILE), code);
const blob = platforms.length ? await buildBlob(root, code, join(out, '.sea')) : null;
const files = { [CODE_FILE]: { platform: 'code', sha256: sha256(code), size: code.length } };
for (const platform of platforms) {
  const name = EXECUTABLE_NAMES[platform];
  if (!name || !PLATFORMS[platform]) throw new Error(`unknown platform ${platform} (known: ${Object.keys(PLATFORMS).join(', ')})`);
  for (const note of await buildExecutable(platform, blob, join(out, name), cache)) process.stderr.write(`dist: ${name}: ${note}\n`);
  files[name] = { platform, sha256: sha256(readFileSync(join(out, name))), size: statSync(join(out, name)).size };
}
rmSync(join(out, '.sea'), { recursive: true, force: true });
// The launcher contract and Node version: a client whose launcher has the same can take the code bundle alone.
const release = { version, runtime: runtimeId(NODE_VERSION), files };
writeFileSync(join(out, 'release.json'), `${JSON.stringify(release, null, 1)}\n`);
writeFileSync(join(out, 'SHA256SUMS'), Object.entries(files).map(([n, f]) => `${f.sha256}  ${n}\n`).join(''));
process.stderr.write(`dist: ${Object.keys(files).join(', ')} (version ${version}) in ${out}, ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
const gone = earlier.filter((n) => !(n in files) && n !== 'release.json' && n !== 'SHA256SUMS');
if (gone.length) process.stderr.write(`dist: removed what an earlier build left in ${out} and this one did not make again: ${gone.join(', ')}\n`);
