// Verdicts on manifests, kept in the pack's cache (updates/wso2update/cache/checked/, the pack handle's
// paths.checked; the cache is not the pack's content, and every commit empties it). A verified manifest is
// immutable and named by its digest: once this version of the tool has checked those bytes (duplicate keys, schema,
// every path, the manifest rules), a later read of the same bytes (the repository recomputes their sha256 on every
// read) needs only JSON.parse. Checking a 12,000-entry manifest cost each process 40-80 ms, twice (base and target),
// in plan and again in apply (issue 22). The warnings the checks gave (case twins) are kept with the verdict.
//
// What it trusts: a verdict file is written only by this tool into the pack's own state folder, which whoever can
// write can already change the pack itself; a verdict names the sha256 of the bytes it vouches for, so no verdict can
// make other bytes pass. Anything unexpected in a verdict file (foreign, truncated, huge) makes it unknown: the
// manifest is checked in full again. Writes are best effort (a full disk never fails a read) and never go through a
// symlinked folder.
import { constants } from 'node:fs';
import { lstat, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Diagnostic } from '../core/errors.js';
import { MANIFEST_CHECKS } from '../core/manifest-rules.js';
import type { Sha256 } from '../core/model.js';
import { TOOL_VERSION } from '../core/version.js';
import { tempSibling } from '../io/atomic.js';
import { assertSha } from './blobs.js';

/** Past any real list of twin warnings; a larger file is not one we wrote. */
const MAX_VERDICT_BYTES = 256 << 10;

/** The checks a verdict stands for: another tool version or another set of rules checks again. */
const CHECKS = `${TOOL_VERSION}-${MANIFEST_CHECKS}`;

type Kept = Pick<Diagnostic, 'severity' | 'code' | 'summary' | 'hint'>;

function isKept(x: unknown): x is Kept {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) return false;
  const d = x as Record<string, unknown>;
  return d.severity === 'warning' && d.code === 'invalid-input' && typeof d.summary === 'string' && (d.hint === undefined || typeof d.hint === 'string');
}

/**
 * A regular file of at most MAX_VERDICT_BYTES, else null: opened without following a symlink and without blocking (a
 * FIFO put there would hang a plain read forever), then checked on the open handle, so nothing is swapped in between.
 */
async function readSmallFile(file: string): Promise<Buffer | null> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK | (constants.O_NOFOLLOW ?? 0)).catch(() => null);
  if (handle === null) return null;
  try {
    const st = await handle.stat();
    if (!st.isFile() || st.size > MAX_VERDICT_BYTES) return null;
    const data = await handle.readFile();
    return data.length > MAX_VERDICT_BYTES ? null : data;
  } catch {
    return null;
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export class CheckedManifests {
  constructor(readonly dir: string) {}

  private file(digest: Sha256): string {
    assertSha(digest);
    return join(this.dir, `${digest}.${CHECKS}.json`);
  }

  /** The warnings the checks of these bytes gave, when this tool checked them before; null: check them now. */
  async warningsOf(digest: Sha256): Promise<Diagnostic[] | null> {
    const data = await readSmallFile(this.file(digest));
    if (data === null) return null;
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch {
      return null;
    }
    const v = value as { checks?: unknown; digest?: unknown; warnings?: unknown };
    if (v === null || typeof v !== 'object' || v.checks !== CHECKS || v.digest !== digest || !Array.isArray(v.warnings) || !v.warnings.every(isKept)) return null;
    return (v.warnings as Kept[]).map((w) => ({ severity: 'warning', code: 'invalid-input', summary: w.summary, ...(w.hint === undefined ? {} : { hint: w.hint }) }));
  }

  /** Records that the bytes named `digest` passed every check, with the warnings they gave. */
  async record(digest: Sha256, warnings: readonly Diagnostic[]): Promise<void> {
    const file = this.file(digest);
    const tmp = tempSibling(file);
    const kept: Kept[] = warnings.map((w) => ({ severity: w.severity, code: w.code, summary: w.summary, ...(w.hint === undefined ? {} : { hint: w.hint }) }));
    const text = JSON.stringify({ checks: CHECKS, digest, warnings: kept });
    if (Buffer.byteLength(text) > MAX_VERDICT_BYTES) return; // checked again next time, which is only slower
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      for (const dir of [dirname(this.dir), this.dir]) if (!(await lstat(dir)).isDirectory()) return; // a symlink: not ours
      await writeFile(tmp, text, { flag: 'wx', mode: 0o600 });
      await rename(tmp, file);
    } catch {
      await rm(tmp, { force: true }).catch(() => undefined);
    }
  }
}
