// The strict walk over a plain tar: every header is parsed by node-tar's Header/Pax and checked before the next is
// read, and entry data is never read here, only located (offset and size). Refused, with the reason: bad checksums,
// any entry that is not a regular file (links, devices, FIFOs, directories, GNU long names, global headers), unsafe
// names, duplicates and names differing only in case, sizes and counts over the caps, data running past the end of
// the file (a declared size larger than the data, a truncated archive), and anything after the end-of-archive marker.
import { readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { Header, Pax } from 'tar';
import { UpdateError } from '../../core/errors.js';
import { foldPath, pathProblem } from '../../core/paths.js';
import { quote } from '../../core/quote.js';

export interface BundleLimits {
  /** Entries in one archive. */
  maxEntries: number;
  /** Bytes of one entry's data. */
  maxEntryBytes: number;
  /** Bytes of all entries' data together (and of a decompressed archive). */
  maxTotalBytes: number;
  /** Decompressed bytes per compressed byte (a gzip bomb expands a thousandfold; real bundles of jars barely at all). */
  maxRatio: number;
}

/** Far above any real update (a whole product is ~10,000 files, ~1 GB), far below what exhausts a machine. */
export const DEFAULT_LIMITS: BundleLimits = { maxEntries: 200_000, maxEntryBytes: 8 * 2 ** 30, maxTotalBytes: 64 * 2 ** 30, maxRatio: 200 };
const BLOCK = 512;
const MAX_PAX = 64 << 10;
/** Zero padding tolerated after the end marker (GNU tar pads to a 10 KiB record). */
const MAX_TRAILER = 64 << 10;
const OK_TYPES = new Set(['File', 'OldFile']);

export interface BundleEntry {
  path: string;
  size: number;
  /** Where the entry's data starts in the (uncompressed) archive file. */
  offset: number;
}

export function bundleRefusal(where: string, problem: string): UpdateError {
  return new UpdateError('verification', `the bundle ${where} ${problem}`, {
    hint: 'Nothing was read from it and nothing was changed. Use a bundle written by `wso2update create-update`, copied whole (compare its sha256 with the one create-update printed).',
  });
}

const padded = (n: number): number => Math.ceil(n / BLOCK) * BLOCK;

/**
 * A positional read of a few blocks, synchronous (issue 22): one thread-pool round trip per header was most of the
 * walk's time (a 600-entry bundle: ~30 ms of ~35). The walk yields to the event loop every YIELD_EVERY headers instead.
 */
function readAt(fh: FileHandle, pos: number, len: number): Buffer {
  const buf = Buffer.alloc(len);
  const bytesRead = readSync(fh.fd, buf, 0, len, pos);
  return buf.subarray(0, bytesRead);
}

const YIELD_EVERY = 256;

const isZero = (b: Buffer): boolean => b.every((x) => x === 0);

/** Walks the archive in `fh` (of `fileSize` bytes) and returns its entries, or throws the first refusal. */
export async function scanTar(fh: FileHandle, fileSize: number, where: string, limits: BundleLimits): Promise<Map<string, BundleEntry>> {
  const bad = (problem: string): never => { throw bundleRefusal(where, problem); };
  const entries = new Map<string, BundleEntry>();
  const folded = new Map<string, string>();
  let total = 0;
  let pos = 0;
  let pax: Pax | undefined;
  for (let headers = 1; ; headers++) {
    // Signals and progress stay live while a large bundle (up to maxEntries headers) is walked.
    if (headers % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    if (pos + BLOCK > fileSize) bad(pos === 0 ? 'is empty: not a tar archive' : `ends at byte ${fileSize} without the end-of-archive marker: it is truncated`);
    const block = readAt(fh, pos, BLOCK);
    if (isZero(block)) {
      if (pax) bad(`has an extended header at byte ${pos - BLOCK} that describes no entry`);
      if (pos + 2 * BLOCK > fileSize) bad(`ends at byte ${fileSize} inside its end-of-archive marker: it is truncated`);
      if (!isZero(readAt(fh, pos + BLOCK, BLOCK))) bad(`has a lone zero block at byte ${pos}: it is damaged`);
      const rest = fileSize - pos - 2 * BLOCK;
      if (rest > MAX_TRAILER || !isZero(readAt(fh, pos + 2 * BLOCK, rest))) bad(`has ${rest} bytes of data after its end-of-archive marker`);
      return entries;
    }
    // The pending pax fields are applied here, not by Header (which would still prepend the ustar prefix to them).
    const h = new Header(block, 0);
    if (!h.cksumValid) bad(pos === 0 ? 'is not a tar archive (its first header has a bad checksum)' : `has a damaged header at byte ${pos} (bad checksum)`);
    const isMeta = h.type === 'ExtendedHeader';
    const size = (isMeta ? h.size : pax?.size ?? h.size) ?? -1;
    if (!Number.isSafeInteger(size) || size < 0) bad(`has an entry at byte ${pos} with an invalid size`);
    const dataAt = pos + BLOCK;
    if (dataAt + size > fileSize) bad(`entry ${quote(pax?.path ?? h.path)} declares ${size} bytes but the archive ends ${fileSize - dataAt} bytes after its header: the data is missing or truncated`);
    if (isMeta) {
      if (pax) bad(`has two extended headers in a row at byte ${pos}`);
      if (size > MAX_PAX) bad(`has an extended header of ${size} bytes at byte ${pos} (at most ${MAX_PAX})`);
      const body = readAt(fh, dataAt, size);
      // node-tar cuts a value at a NUL; another tar would not: a name two readers see differently is refused.
      if (body.includes(0)) bad(`has an extended header at byte ${pos} containing a NUL character`);
      pax = Pax.parse(body.toString('utf8'), undefined, false);
      if (pax.linkpath !== undefined) bad(`has an extended header naming a link target (${quote(pax.linkpath)}): links are refused`);
      pos = dataAt + padded(size);
      continue;
    }
    const path = pax?.path ?? h.path ?? '';
    pax = undefined;
    if (!OK_TYPES.has(h.type)) bad(`entry ${quote(path)} is a ${h.type} entry: only regular files are accepted (no links, devices, FIFOs or directories)`);
    const problem = pathProblem(path);
    if (problem !== null) bad(`entry name ${quote(path)} ${problem}`);
    const twin = folded.get(foldPath(path));
    if (twin !== undefined) bad(twin === path ? `holds ${quote(path)} twice` : `holds ${quote(twin)} and ${quote(path)}, names that differ only in case`);
    if (entries.size + 1 > limits.maxEntries) bad(`holds more than ${limits.maxEntries} entries`);
    if (size > limits.maxEntryBytes) bad(`entry ${quote(path)} declares ${size} bytes (at most ${limits.maxEntryBytes} per entry)`);
    total += size;
    if (total > limits.maxTotalBytes) bad(`declares more than ${limits.maxTotalBytes} bytes of data in all`);
    folded.set(foldPath(path), path);
    entries.set(path, { path, size, offset: dataAt });
    pos = dataAt + padded(size);
  }
}
