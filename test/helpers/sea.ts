// The single executable for the release tests: `scripts/dist.mjs` for linux x64 only, built once per state of the
// sources and cached under the OS temp folder (keyed by a hash of src/, the build scripts and the lock file), so a
// test file run after the first costs a copy, not a build. Runs it as an operator's host would: `env -i`, no node.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, ROOT, tmpDir, type RunResult } from './tmp.js';
import { staleBuild } from '../../scripts/lib/build-freshness.mjs';

const CACHE = join(tmpdir(), 'wso2update-sea-cache');
const INPUTS = ['src', 'schemas', 'scripts/dist.mjs', 'scripts/lib/sea-build.mjs', 'package-lock.json'];
/** A PATH with nothing on it: the executable must need no node (nor anything else) from the PATH. */
export const EMPTY_PATH = tmpDir('wso2update-nopath-');

function hashInputs(h: ReturnType<typeof createHash>, rel: string): void {
  const abs = join(ROOT, rel);
  if (statSync(abs).isDirectory()) for (const name of readdirSync(abs).sort()) hashInputs(h, join(rel, name));
  else h.update(`${rel}\0`).update(readFileSync(abs));
}

/** Keeps the newest few builds: each is ~100 MB. */
function prune(keep: number): void {
  const dirs = readdirSync(CACHE).map((n) => join(CACHE, n)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  for (const d of dirs.slice(keep)) rmSync(d, { recursive: true, force: true });
}

/**
 * The release folder of `version` (wso2update_linux, wso2update.code, release.json, SHA256SUMS); `codeOnly`: no
 * executable; `platform`: another platform's executable instead (win32-x64 for Wine, linux-arm64 for qemu).
 */
export function seaRelease(version = '0.1.0', codeOnly = false, platform = 'linux-x64'): string {
  const h = createHash('sha256');
  for (const rel of INPUTS) hashInputs(h, rel);
  const dir = join(CACHE, `${version}-${codeOnly ? 'code' : platform}-${h.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'release.json'))) {
    const now = new Date();
    utimesSync(dir, now, now); // in use again: the newest for prune(), which keeps the most recently used builds
    return dir;
  }
  // The key hashes src/, but dist.mjs packs dist/: a build from a stale dist/ would be cached under the new sources'
  // key and every later run would test old code (it happened when src/ changed while the suite ran).
  const stale = staleBuild(ROOT);
  if (stale !== null) throw new Error(`dist/ is not built from the current sources (${stale}): run \`npm run build\` first`);
  mkdirSync(CACHE, { recursive: true });
  const building = `${dir}.${process.pid}.building`;
  const args = ['scripts/dist.mjs', '--tool-version', version, '--out', building, ...(codeOnly ? ['--code-only'] : ['--platforms', platform])];
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`dist build failed: ${r.stderr}`);
  try {
    renameSync(building, dir);
  } catch {
    rmSync(building, { recursive: true, force: true }); // another test file built it at the same time
  }
  prune(8);
  return dir;
}

/** Runs `exe` (relative to cwd, as typed: ./wso2update_linux) under `env -i`: no PATH with node, CI set, nothing else. */
export function runExe(exe: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<RunResult> {
  const pairs = Object.entries({ PATH: EMPTY_PATH, CI: '1', ...opts.env }).map(([k, v]) => `${k}=${v}`);
  return collect(spawn('/usr/bin/env', ['-i', ...pairs, exe, ...args], { cwd: opts.cwd, stdio: ['pipe', 'pipe', 'pipe'] }));
}
