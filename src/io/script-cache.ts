// Runs a CommonJS bundle with a V8 code cache kept beside it, so that a process does not parse and compile again the
// functions earlier runs already compiled. Node 20 has no compile cache for ES modules (module.enableCompileCache is
// Node 22), so the checkout's bin/wso2update.js runs the same one-file CommonJS bundle the single executable runs,
// through vm.Script's cachedData. On the bench's plan this saves about 40 ms of CPU per process (BENCH.md).
//
// The cache file is `<bundle>.cache`: a header line, then V8's data.
//   wso2update-code-cache 2 <sha256 of the bundle> <sha256 of the data> <node version> <command,command,...>\n
// V8 checks its data against the source only by length, so a bundle edited in place to the same length would run
// the old bytecode: the header's sha256 of the bundle is what makes a stale cache unusable. Nor does V8 refuse
// truncated data (test/io/script-cache.test.ts shows both), so a cache torn by a crash would be trusted: the data's
// own sha256 is checked before V8 sees it. The commands list says
// which commands' functions the cache already holds (V8 serializes every function compiled so far when asked after
// a run): a command not in it yet writes the cache again once, with its own functions added.
// Anything wrong with the cache (missing, truncated, another bundle or Node, refused by V8) means running without it
// and writing a fresh one; a folder that cannot be written (a read-only install) means running without one. A cache
// never changes what runs: the source is always the bundle read here.
import { sha256Hex } from '../core/canonical.js';
import { lstatSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
import { isTempSiblingName, tempSibling } from './atomic.js';

const MAGIC = 'wso2update-code-cache 2';
/** A header longer than this is not ours (a command list is a few dozen short words). */
const MAX_HEADER = 4096;
const COMMAND = /^[a-z][a-z0-9-]{0,39}$/;

export interface CachedScript<T> {
  exports: T;
  /** true when V8 took the cache (for tests and the bench; nothing else may depend on it). */
  cacheUsed: boolean;
  /**
   * After the run: writes the cache again when it was not used or does not yet hold `command`'s functions.
   * Never throws: a cache that cannot be written is a slower next start, not an error.
   */
  save(command: string): void;
}

interface Header { sha256: string; data: string; node: string; commands: string[] }

const HEX64 = /^[0-9a-f]{64}$/;

function readHeader(bytes: Buffer): { header: Header; data: Buffer } | null {
  const nl = bytes.subarray(0, MAX_HEADER).indexOf(0x0a);
  if (nl < 0) return null;
  const words = bytes.subarray(0, nl).toString('latin1').split(' ');
  if (words.length !== 7 || `${words[0]} ${words[1]}` !== MAGIC || !HEX64.test(words[2]) || !HEX64.test(words[3])) return null;
  const commands = words[5].split(',');
  if (!commands.every((c) => COMMAND.test(c)) || words[6] !== '') return null;
  return { header: { sha256: words[2], data: words[3], node: words[4], commands }, data: bytes.subarray(nl + 1) };
}

function readCache(file: string, sha256: string, node: string): { data: Buffer; commands: string[] } | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return null;
  }
  const parsed = readHeader(bytes);
  if (!parsed || parsed.header.sha256 !== sha256 || parsed.header.node !== node) return null;
  if (parsed.data.length === 0 || sha256Hex(parsed.data) !== parsed.header.data) return null;
  return { data: parsed.data, commands: parsed.header.commands };
}

/** A temporary cache not written for this long is a killed process's, not one a running start is writing. */
const STALE_MS = 60_000;

/** Removes the temporary caches that processes killed while saving left beside `cacheFile` (a few MB each). */
function sweepTemporaries(cacheFile: string): void {
  try {
    for (const name of readdirSync(dirname(cacheFile))) {
      if (!isTempSiblingName(name, cacheFile)) continue;
      const path = join(dirname(cacheFile), name);
      const st = lstatSync(path, { throwIfNoEntry: false });
      if (st?.isFile() && Date.now() - st.mtimeMs > STALE_MS) rmSync(path, { force: true });
    }
  } catch {
    // best effort, like the save itself
  }
}

/** Loads `file` (a CommonJS script) with the cache beside it; `node` is the running Node's version (process.version). */
export function loadCachedScript<T>(file: string, node: string): CachedScript<T> {
  const source = readFileSync(file);
  const sha256 = sha256Hex(source);
  const cacheFile = `${file}.cache`;
  const cached = readCache(cacheFile, sha256, node);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source.toString('utf8')}\n})`, {
    filename: file,
    cachedData: cached?.data,
  });
  const cacheUsed = cached !== null && !script.cachedDataRejected;
  const mod = { exports: {} as T };
  (script.runInThisContext() as (...a: unknown[]) => void)(mod.exports, createRequire(file), mod, file, dirname(file));
  const known = cacheUsed ? cached.commands : [];
  return {
    exports: mod.exports,
    cacheUsed,
    save(command) {
      const name = COMMAND.test(command) ? command : 'other';
      if (known.includes(name)) return;
      // Another process may have written a cache holding this command since this one started: keep that one (the
      // data written here would hold only what this process compiled, and drop that process's commands).
      if (readCache(cacheFile, sha256, node)?.commands.includes(name)) return;
      const commands = [...known, name].sort();
      sweepTemporaries(cacheFile);
      const tmp = tempSibling(cacheFile);
      try {
        const data = script.createCachedData();
        const header = Buffer.from(`${MAGIC} ${sha256} ${sha256Hex(data)} ${node} ${commands.join(',')} \n`, 'latin1');
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
