// Runs a CommonJS bundle with a V8 code cache kept beside it, so that a process does not parse and compile again the
// functions earlier runs already compiled. Node 20 has no compile cache for ES modules (module.enableCompileCache is
// Node 22), so the checkout's bin/wso2update.js runs the same one-file CommonJS bundle the single executable runs,
// through vm.Script's cachedData.
//
// One cache per command, `<bundle>.<command>.cache`: a header line, then V8's data.
//   wso2update-code-cache 3 <sha256 of the bundle> <sha256 of the data> <node version> <command>\n
// Per command because V8 deserializes the whole cache at every start: one cache holding every command's functions
// (1.3 MB once plan, apply and init had run) made `--version` cost 100 ms instead of 70, and each command paid for
// the others' code. A command's own cache holds what that command compiled.
// V8 checks its data against the source only by length, so a bundle edited in place to the same length would run
// the old bytecode: the header's sha256 of the bundle is what makes a stale cache unusable. Nor does V8 refuse
// truncated data (test/io/script-cache.test.ts shows both), so a cache torn by a crash would be trusted: the data's
// own sha256 is checked before V8 sees it.
// Anything wrong with the cache (missing, truncated, another bundle or Node, refused by V8) means running without it
// and writing a fresh one; a folder that cannot be written (a read-only install) means running without one. A cache
// never changes what runs: the source is always the bundle read here.
import { sha256Hex } from '../core/canonical.js';
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isTempSiblingName, tempSibling } from './atomic.js';

const MAGIC = 'wso2update-code-cache 3';
/** A header longer than this is not ours. */
const MAX_HEADER = 4096;
const COMMAND = /^[a-z][a-z0-9-]{0,39}$/;

export interface CachedScript<T> {
  exports: T;
  /** true when V8 took the cache (for tests and the bench; nothing else may depend on it). */
  cacheUsed: boolean;
  /**
   * After the run: writes the command's cache when this start had none it could use (and no other process wrote one
   * meanwhile). Never throws: a cache that cannot be written is a slower next start, not an error.
   */
  save(): void;
}

interface Header { sha256: string; data: string; node: string; command: string }

const HEX64 = /^[0-9a-f]{64}$/;

function readHeader(bytes: Buffer): { header: Header; data: Buffer } | null {
  const nl = bytes.subarray(0, MAX_HEADER).indexOf(0x0a);
  if (nl < 0) return null;
  const words = bytes.subarray(0, nl).toString('latin1').split(' ');
  if (words.length !== 7 || `${words[0]} ${words[1]}` !== MAGIC || !HEX64.test(words[2]) || !HEX64.test(words[3])) return null;
  if (!COMMAND.test(words[5]) || words[6] !== '') return null;
  return { header: { sha256: words[2], data: words[3], node: words[4], command: words[5] }, data: bytes.subarray(nl + 1) };
}

function readCache(file: string, sha256: string, node: string, command: string): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const parsed = readHeader(bytes);
  if (!parsed || parsed.header.sha256 !== sha256 || parsed.header.node !== node || parsed.header.command !== command) return null;
  if (parsed.data.length === 0 || sha256Hex(parsed.data) !== parsed.header.data) return null;
  return parsed.data;
}

/** A temporary cache not written for this long is a killed process's, not one a running start is writing. */
const STALE_MS = 60_000;

/**
 * Removes the temporary caches that processes killed while saving left beside `cacheFile` (up to a MB each), and the
 * one cache of every command that version 2 kept beside the bundle `file` (`<bundle>.cache`), never read again.
 */
function sweepLeftovers(file: string, cacheFile: string): void {
  try {
    for (const name of readdirSync(dirname(cacheFile))) {
      if (!isTempSiblingName(name, cacheFile)) continue;
      const path = join(dirname(cacheFile), name);
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (st?.isFile() && Date.now() - st.mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
    rmSync(`${file}.cache`, { force: true });
  } catch {
    // best effort, like the save itself
  }
}

/**
 * Loads `file` (a CommonJS script) with `command`'s cache beside it (a name that is not a plain command word is
 * "other"); `node` is the running Node's version (process.version).
 */
export function loadCachedScript<T>(file: string, node: string, command: string): CachedScript<T> {
  const source = readFileSync(file);
  const sha256 = sha256Hex(source);
  const name = COMMAND.test(command) ? command : 'other';
  const cacheFile = `${file}.${name}.cache`;
  const cached = readCache(cacheFile, sha256, node, name);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, {
    filename: file,
    cachedData: cached ?? undefined,
  });
  const cacheUsed = cached !== null && !script.cachedDataRejected;
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(file), mod, file, dirname(file));
  return {
    exports: mod.exports,
    cacheUsed,
    save() {
      if (cacheUsed) return;
      // Another process of the same command may have written its cache since this one started: keep that one.
      if (readCache(cacheFile, sha256, node, name) !== null) return;
      sweepLeftovers(file, cacheFile);
      const tmp = tempSibling(cacheFile);
      try {
        const data = script.createCachedData();
        const header = Buffer.from(`${MAGIC} ${sha256} ${sha256Hex(data)} ${node} ${name} \n`, 'latin1');
        writeFileSync(tmp, Buffer.concat([header, data]), { flag: 'wx', mode: 0o644 });
        renameSync(tmp, cacheFile); // atomic: a concurrent start reads the old cache or the new one, never half
      } catch {
        try {
          rmSync(tmp, { force: true });
        } catch {
          // nothing more to do: the folder is not ours to write
        }
      }
    },
  };
}
