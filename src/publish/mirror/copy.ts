// The only code that writes into a mirror's folder, and where its two rules live. Only verified bytes are written:
// callers stage the bytes a check returned (TUF, the index's sha256) or a fetch checked against its signed size and
// sha256 while it streams. A copy never goes backwards: commit refuses metadata older than what the copy serves,
// because packs that already read the mirror would refuse it (TUF rollback protection) or lose levels. Everything is
// staged in a scratch folder inside the copy (same file system: moving in is a rename) and moved into place only when
// the whole run passed, in the order staged (blobs first, timestamp.json last); a refused or interrupted run removes
// the scratch, so it leaves the copy exactly as it was.
import { existsSync } from 'node:fs';
import { link, mkdir, mkdtemp, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UpdateError } from '../../core/errors.js';
import type { RepoIndex } from '../../core/model.js';
import { fsyncDir, writeFileAtomic } from '../../io/atomic.js';
import { FolderTransport } from '../../channel/folder.js';
import { hashFile } from '../../io/hash.js';
import { INDEX_FILE } from '../../core/layout.js';
import type { ReadOptions, Transport } from '../../channel/transport.js';
import { ROOT_MAX, TIMESTAMP_REL, LATEST_ROOT_REL, versionedRel } from '../../core/layout.js';

/** Metadata and index files are read whole: far above any real one. */
const READ_MAX = 1 << 24;

interface Versions { root?: number; timestamp?: number; snapshot?: number; targets?: number }

export class MirrorCopy {
  private readonly staged: string[] = [];

  private constructor(readonly to: string, private readonly scratch: string, private readonly created: boolean) {}

  static async open(to: string): Promise<MirrorCopy> {
    const created = !existsSync(to);
    await mkdir(to, { recursive: true });
    return new MirrorCopy(to, await mkdtemp(join(to, '.mirror-')), created);
  }

  /** The copy already holds `rel` with this sha256 (a rerun copies only what is missing). */
  async present(rel: string, sha256: string): Promise<boolean> {
    const abs = join(this.to, rel);
    return existsSync(abs) && (await hashFile(abs)).sha256 === sha256;
  }

  /** Stages bytes the caller verified. */
  async stage(rel: string, bytes: Buffer): Promise<void> {
    await mkdir(dirname(join(this.scratch, rel)), { recursive: true });
    await writeFileAtomic(join(this.scratch, rel), bytes);
    this.staged.push(rel);
  }

  /** Stages a file streamed from `from`, checked against its signed size and sha256 on the way (Transport.fetchTo). */
  async fetch(from: Transport, rel: string, want: { size: number; sha256: string }, signal?: AbortSignal): Promise<void> {
    await mkdir(dirname(join(this.scratch, rel)), { recursive: true });
    await from.fetchTo(rel, join(this.scratch, rel), { ...want, sync: true, signal });
    this.staged.push(rel);
  }

  /** Stages `rel` as a second name of the staged `of` (a hard link: the same verified bytes). */
  async alias(rel: string, of: string): Promise<void> {
    await mkdir(dirname(join(this.scratch, rel)), { recursive: true });
    await link(join(this.scratch, of), join(this.scratch, rel));
    this.staged.push(rel);
  }

  /** The copy as it will be once committed (staged files over what is there), for a client to verify first. */
  preview(): Transport {
    const staged = new FolderTransport(this.scratch);
    const there = new FolderTransport(this.to);
    return {
      location: this.to,
      read: (rel: string, opts?: ReadOptions) => staged.read(rel, opts).catch((err: unknown) => {
        if (err instanceof UpdateError && err.code === 'not-found') return there.read(rel, opts);
        throw err;
      }),
      fetchTo: () => Promise.reject(new UpdateError('internal', 'a mirror preview is only read')),
    };
  }

  /** Moves everything staged into place (after the never-backwards check), timestamp.json last, then fsyncs. */
  async commit(): Promise<void> {
    await this.checkForward();
    const last = this.staged.at(-1);
    const dirs = new Set<string>();
    for (const rel of this.staged) {
      if (rel === last) await Promise.all([...dirs].map(fsyncDir));
      await mkdir(dirname(join(this.to, rel)), { recursive: true });
      await rename(join(this.scratch, rel), join(this.to, rel));
      dirs.add(dirname(join(this.to, rel)));
    }
    if (last !== undefined) await fsyncDir(dirname(join(this.to, last)));
    await rm(this.scratch, { recursive: true, force: true });
  }

  /** Leaves the copy as it was: the scratch goes, and the copy's folder too when this run created it. */
  async abort(): Promise<void> {
    await rm(this.scratch, { recursive: true, force: true });
    if (this.created) await rmdir(this.to).catch(() => undefined);
  }

  private async checkForward(): Promise<void> {
    const signedNow = existsSync(join(this.to, TIMESTAMP_REL));
    const signedNext = this.staged.includes(TIMESTAMP_REL);
    if (signedNow && !signedNext) {
      throw new UpdateError('verification', `${this.to} is a copy of a signed channel and the source is unsigned: it is not overwritten with unsigned files`, {
        hint: 'Nothing was changed. Mirror the signed channel with its root pinned, or mirror the unsigned one into another folder.',
      });
    }
    if (signedNext) await this.checkVersions(await versionsIn(this.to, 'the copy'), await versionsIn(this.scratch, 'the source'));
    else await this.checkLevels();
  }

  private async checkVersions(now: Versions, next: Versions): Promise<void> {
    for (const role of ['root', 'timestamp', 'snapshot', 'targets'] as const) {
      const [a, b] = [now[role], next[role]];
      if (a !== undefined && (b === undefined || b < a)) {
        throw new UpdateError('verification', `rollback refused: the source's ${role} is version ${b ?? '(none)'}, older than the version ${a} the copy ${this.to} already serves`, {
          hint: 'Nothing was changed: a mirror never goes backwards (packs that read it would refuse it). Mirror from an up-to-date source.',
        });
      }
    }
  }

  /** Unsigned: no versions to compare, so every level and hotfix the copy lists must still be listed. */
  private async checkLevels(): Promise<void> {
    const now = await readJson<RepoIndex>(join(this.to, INDEX_FILE), 'the copy');
    if (now === undefined) return;
    const next = await readJson<RepoIndex>(join(this.scratch, INDEX_FILE), 'the source');
    const lost: string[] = [];
    for (const [p, entry] of Object.entries(now.products ?? {})) {
      for (const level of Object.keys(entry.levels ?? {})) if (!next?.products?.[p]?.levels?.[level]) lost.push(`${p} level ${level}`);
      for (const id of Object.keys(entry.hotfixes ?? {})) if (!next?.products?.[p]?.hotfixes?.[id]) lost.push(`${p} hotfix ${id}`);
    }
    if (lost.length > 0) {
      throw new UpdateError('verification', `rollback refused: the source no longer lists ${lost.slice(0, 5).join(', ')}${lost.length > 5 ? ` and ${lost.length - 5} more` : ''}, which the copy ${this.to} serves`, {
        hint: 'Nothing was changed: a mirror never goes backwards (packs that read it may be at those levels). Mirror from an up-to-date source.',
      });
    }
  }
}

async function readJson<T>(abs: string, whose: string, max = READ_MAX): Promise<T | undefined> {
  if (!existsSync(abs)) return undefined;
  const bytes = await readFile(abs);
  try {
    if (bytes.length > max) throw new Error(`${bytes.length} bytes, more than ${max}`);
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new UpdateError('invalid-input', `${whose}'s ${abs} cannot be read: ${(err as Error).message}`, {
      hint: 'Nothing was changed: a mirror never goes backwards, so it does not overwrite a file it cannot compare. Move the damaged copy aside and mirror into an empty folder.',
    });
  }
}

type Signed = { signed?: { version?: unknown; meta?: Record<string, { version?: unknown }> } };
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined);

/** The versions of a folder's published metadata: root.json, timestamp.json and what they name. */
async function versionsIn(dir: string, whose: string): Promise<Versions> {
  const ts = await readJson<Signed>(join(dir, TIMESTAMP_REL), whose);
  const root = await readJson<Signed>(join(dir, LATEST_ROOT_REL), whose, ROOT_MAX);
  const snapshot = num(ts?.signed?.meta?.['snapshot.json']?.version);
  const snap = snapshot === undefined ? undefined : await readJson<Signed>(join(dir, versionedRel(snapshot, 'snapshot')), whose);
  return { root: num(root?.signed?.version), timestamp: num(ts?.signed?.version), snapshot, targets: num(snap?.signed?.meta?.['targets.json']?.version) };
}
