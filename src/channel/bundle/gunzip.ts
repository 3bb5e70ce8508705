// A gzip-compressed bundle is decompressed once, with caps, into a private file under a staging folder the caller
// names (the pack's updates/wso2update/, never the pack's files), so that the strict walk and the reads can seek in
// it. The caps stop a gzip bomb while it expands: total bytes, and bytes per compressed byte.
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdtemp, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { UpdateError } from '../../core/errors.js';
import { bundleRefusal, type BundleLimits } from './scan.js';

/** What a bundle file starts with: gzip is accepted, the other compressions are named in the refusal. */
export function compressionOf(head: Buffer): 'gzip' | 'bzip2' | 'xz' | 'zstd' | null {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'gzip';
  if (head.subarray(0, 3).toString('latin1') === 'BZh') return 'bzip2';
  if (head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'xz';
  if (head.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))) return 'zstd';
  return null;
}

/** Slack before the ratio cap applies: a tiny archive of zero blocks compresses a hundredfold and is harmless. */
const RATIO_SLACK = 1 << 20;

/**
 * A decompressed copy older than this, by its folder's and its file's modification times, belongs to no live run:
 * one in progress writes it continuously, and one done is read through an open handle (on POSIX, removing the name
 * does not disturb that handle; where it does, the removal fails and the copy stays).
 */
const STALE_MS = 60_000;

/** Removes the `.bundle-*` copies that runs killed before their cleanup (SIGKILL, a crash) left in `stagingDir`. */
async function sweepStale(stagingDir: string): Promise<void> {
  const now = Date.now();
  for (const name of await readdir(stagingDir).catch(() => [] as string[])) {
    if (!name.startsWith('.bundle-')) continue;
    const dir = join(stagingDir, name);
    const times = await Promise.all([dir, join(dir, 'bundle.tar')].map((p) => lstat(p).then((st) => st.mtimeMs, () => 0)));
    if (now - Math.max(...times) > STALE_MS) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Decompresses `file` (of `compressedSize` bytes) into a new private folder under `stagingDir`; returns the folder
 * (the caller removes it) and the decompressed file. Refusals remove the folder first.
 */
export async function gunzipToStaging(file: string, compressedSize: number, stagingDir: string, where: string, limits: BundleLimits, signal?: AbortSignal): Promise<{ dir: string; tar: string }> {
  await sweepStale(stagingDir);
  const dir = await mkdtemp(join(stagingDir, '.bundle-'));
  const tar = join(dir, 'bundle.tar');
  const cap = Math.min(limits.maxTotalBytes + (64 << 20), compressedSize * limits.maxRatio + RATIO_SLACK);
  let out = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      out += chunk.length;
      if (out > cap) done(bundleRefusal(where, `expands past ${cap} bytes when decompressed (from ${compressedSize}): a gzip bomb, refused while expanding`));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(createReadStream(file), createGunzip(), meter, createWriteStream(tar, { flags: 'wx', mode: 0o600 }), { signal });
    return { dir, tar };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    if (err instanceof UpdateError) throw err;
    if ((err as Error).name === 'AbortError') throw new UpdateError('interrupted', 'interrupted while reading the bundle', { cause: err });
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_') || /unexpected end of file|incorrect header check|invalid/i.test((err as Error).message)) {
      throw bundleRefusal(where, `is not valid gzip data (${(err as Error).message}): truncated or damaged`);
    }
    throw err;
  }
}
