// The stable part of the single executable (the SEA's main script; `npm run dist` bundles it alone): it runs the
// code bundle `wso2update.code` kept beside the executable when that one is intact and newer, else the one embedded
// in the executable. So a release that changes only the tool's code downloads ~1 MB, not a new Node runtime.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { getAsset } from 'node:sea';
import { runInThisContext } from 'node:vm';
import { CODE_FILE, LAUNCHER_ABI, parseCodeBundle, preferBeside, type CodeHeader } from '../core/code-bundle.js';

/** What the code learns of the launcher that runs it (cli/self-update.ts reads it; absent under plain `node`). */
export interface LauncherInfo { abi: number; node: string; exe: string; codeFile: string; running: 'beside' | 'embedded'; embeddedVersion: string }
export const LAUNCHER_KEY = Symbol.for('wso2update.launcher');

const intact = (h: CodeHeader | string): h is CodeHeader => typeof h !== 'string' && createHash('sha256').update(h.body).digest('hex') === h.sha256;

function besideBundle(file: string): CodeHeader | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null; // none beside the executable: the embedded code runs
  }
  const h = parseCodeBundle(bytes);
  if (intact(h)) return h;
  process.stderr.write(`Warning: ${file} is damaged (${typeof h === 'string' ? h : 'its sha256 does not match'}); running the code built into the executable.\n`);
  return null;
}

/** What a code bundle exports; exitProcess (cli/main.ts) is absent from bundles older than it. */
interface CodeExports { main: (argv: string[]) => Promise<number>; exitProcess?: (code: number) => Promise<never> }

function load(h: CodeHeader, filename: string): CodeExports {
  const wrapper = runInThisContext(`(function (exports, require, module, __filename, __dirname) {${h.body.toString('utf8')}\n})`, { filename });
  const mod = { exports: {} as CodeExports };
  (wrapper as (...a: unknown[]) => void)(mod.exports, createRequire(filename), mod, filename, dirname(filename));
  if (typeof mod.exports.main !== 'function') throw new Error('it exports no main()');
  return mod.exports;
}

function start(): void {
  const embedded = parseCodeBundle(Buffer.from(getAsset(CODE_FILE)));
  if (typeof embedded === 'string') throw new Error(`the code built into ${process.execPath} is unreadable: ${embedded}`);
  const codeFile = join(dirname(process.execPath), CODE_FILE);
  const beside = besideBundle(codeFile);
  const info: LauncherInfo = { abi: LAUNCHER_ABI, node: process.version, exe: process.execPath, codeFile, running: 'embedded', embeddedVersion: embedded.version };
  (globalThis as Record<symbol, unknown>)[LAUNCHER_KEY] = info;
  let code: CodeExports | null = null;
  if (beside && preferBeside(beside, embedded)) {
    try {
      code = load(beside, codeFile);
      info.running = 'beside';
    } catch (err) {
      process.stderr.write(`Warning: ${codeFile} failed to load (${(err as Error).message}); running the code built into the executable.\n`);
    }
  }
  code ??= load(embedded, process.execPath);
  const exit = code.exitProcess;
  code.main(process.argv).then((c) => { if (exit) void exit(c); else process.exitCode = c; });
}

start();
