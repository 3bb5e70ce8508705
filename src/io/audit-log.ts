// The audit trail on disk (issue 23): updates/wso2update/audit/, outside generations (a revert never rolls it back)
// and, like updates/logs, outside the promise that a refusal leaves the pack byte-identical. audit.log holds JSON
// lines; head.json the last record's sequence and hash, so a cut-off tail shows; rotation renames the log to
// audit-<first>-<last>.log and starts the new one with a rotation record chained to it (core/audit/chain.ts).
import { constants } from 'node:fs';
import { appendFile, lstat, mkdir, readdir, readFile, rename, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../core/canonical.js';
import { nextRecord, recordLine, rotationEntry, type AuditEntry, type AuditHead, type AuditRecord, type Segment } from '../core/audit/chain.js';
import { UpdateError } from '../core/errors.js';
import { fsyncDir, fsyncFile, writeFileAtomic } from './atomic.js';
import { assertOwnFolders } from './pack-guard.js';

export const AUDIT_DIR = join('updates', 'wso2update', 'audit');
const LOG = 'audit.log';
const HEAD = 'head.json';
const ARCHIVE = /^audit-(\d+)-(\d+)\.log$/;
/** The active log is rotated once it passes this size (about 10,000 records). */
export const ROTATE_AT = 4 * 1024 * 1024;

const dirOf = (home: string): string => join(home, AUDIT_DIR);

async function readHead(dir: string): Promise<AuditHead | null> {
  const text = await readFile(join(dir, HEAD), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (text === null) return null;
  try {
    const h = JSON.parse(text) as AuditHead;
    if (Number.isSafeInteger(h.seq) && h.seq >= 0 && typeof h.hash === 'string' && /^[0-9a-f]{64}$/.test(h.hash)) return h;
  } catch { /* reported below */ }
  throw new UpdateError('verification', `${join(dir, HEAD)} is damaged`, { hint: 'Run `wso2update audit --verify` to see what else changed in the audit trail.' });
}

/** The last complete record of a log text, or null (a torn last line from a crash mid-append is skipped). */
function lastRecord(text: string): AuditRecord | null {
  const lines = text.split('\n').filter((l) => l !== '');
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i]) as AuditRecord;
    } catch { /* a torn line: look at the one before */ }
  }
  return null;
}

const readText = (path: string): Promise<string> => readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
  if (err.code === 'ENOENT') return '';
  throw err;
});

async function appendLine(path: string, line: string): Promise<void> {
  // O_NOFOLLOW: a log replaced by a symlink is not written through; O_APPEND: one write, at the end.
  await appendFile(path, line, { flag: constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW, mode: 0o644 });
  await fsyncFile(path);
}

async function archives(dir: string): Promise<{ name: string; first: number; last: number }[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.flatMap((name) => {
    const m = ARCHIVE.exec(name);
    return m ? [{ name, first: Number(m[1]), last: Number(m[2]) }] : [];
  }).sort((a, b) => a.first - b.first);
}

export interface AppendOptions {
  rotateAt?: number;
}

/**
 * Appends one record, chained to the newest of head.json and the log's last record (a crash between the two
 * writes leaves the log one ahead). A record with a `run` already closed by the last record is not written again.
 * Returns the record written, or the one already there.
 */
export async function appendAudit(home: string, entry: AuditEntry, opts: AppendOptions = {}): Promise<AuditRecord> {
  if ((await lstat(join(home, 'updates')).catch(() => null)) === null) throw new UpdateError('not-found', `${home} has no updates/ folder`);
  assertOwnFolders(home, ['updates', 'updates/wso2update']);
  const dir = dirOf(home);
  await mkdir(dir, { recursive: true });
  assertOwnFolders(home, [AUDIT_DIR]);
  const logPath = join(dir, LOG);
  let text = await readText(logPath);
  if (text !== '' && !text.endsWith('\n')) {
    // A crash mid-append left a torn line that never became a record (head.json is written after the line is synced): cut it.
    text = text.slice(0, text.lastIndexOf('\n') + 1);
    await truncate(logPath, Buffer.byteLength(text));
  }
  const head = await readHead(dir);
  let last = lastRecord(text);
  // One record per run: endRun and a later settlePending (after a crash between the append and removing
  // pending.json) must not both write one.
  if (entry.run !== undefined && last?.run === entry.run) return last;
  const after = (): AuditHead | null => (last && (!head || last.seq >= head.seq) ? { seq: last.seq, hash: last.hash } : head);
  if (text.length >= (opts.rotateAt ?? ROTATE_AT) && last) {
    const first = lastRecord(text.split('\n')[0]) ?? last;
    const name = `audit-${first.seq}-${last.seq}.log`;
    await rename(logPath, join(dir, name));
    await fsyncDir(dir);
    text = '';
    const rot = nextRecord(after(), rotationEntry({ time: entry.time, user: entry.user, host: entry.host }, { name, first: first.seq, last: last.seq, sha256: sha256Hex(await readFile(join(dir, name))) }));
    await appendLine(logPath, recordLine(rot));
    last = rot;
  } else if (text === '' && head && head.seq > 0) {
    // A crash right after a rotation's rename: the new log must still begin with the record that chains to the archive.
    const newest = (await archives(dir)).pop();
    if (newest) {
      const rot = nextRecord(head, rotationEntry({ time: entry.time, user: entry.user, host: entry.host }, { ...newest, sha256: sha256Hex(await readFile(join(dir, newest.name))) }));
      await appendLine(logPath, recordLine(rot));
      last = rot;
    }
  }
  const rec = nextRecord(after(), entry);
  await appendLine(logPath, recordLine(rec));
  await writeFileAtomic(join(dir, HEAD), `${JSON.stringify({ seq: rec.seq, hash: rec.hash })}\n`);
  return rec;
}

/** The segments to verify (archives oldest first, then the active log) and the head kept apart. */
export async function readAudit(home: string): Promise<{ segments: Segment[]; head: AuditHead | null }> {
  const dir = dirOf(home);
  assertOwnFolders(home, ['updates', 'updates/wso2update', AUDIT_DIR]);
  const segments: Segment[] = [];
  for (const a of await archives(dir)) segments.push({ name: a.name, text: await readFile(join(dir, a.name), 'utf8') });
  segments.push({ name: LOG, text: await readText(join(dir, LOG)) });
  return { segments, head: await readHead(dir) };
}

/**
 * The record of a run that has started and not yet been written (audit/pending/<run>.json): written before an
 * apply begins, removed once its record is appended. A crash in between leaves it, and a later command settles it
 * from what the pack's state says happened (cli/audit-trail.ts), so no committed apply goes unrecorded and no
 * rolled-back one is recorded as applied. `owner` is the process, so a live run's pending record is left alone.
 */
export interface PendingRun { entry: AuditEntry; serialBefore: number; levelBefore: number; owner: { pid: number; start: string | null } }

const pendingDir = (home: string): string => join(dirOf(home), 'pending');
const RUN_ID = /^[0-9a-f-]{36}$/;

export async function writePending(home: string, run: string, p: PendingRun): Promise<void> {
  if (!RUN_ID.test(run)) throw new UpdateError('internal', `bad run id ${run}`);
  assertOwnFolders(home, ['updates', 'updates/wso2update']);
  await mkdir(pendingDir(home), { recursive: true });
  assertOwnFolders(home, [AUDIT_DIR, join(AUDIT_DIR, 'pending')]);
  await writeFileAtomic(join(pendingDir(home), `${run}.json`), `${JSON.stringify(p)}\n`);
}

/** Every pending run (a damaged file is reported, not skipped: its run would otherwise go unrecorded). */
export async function listPending(home: string): Promise<{ run: string; pending: PendingRun }[]> {
  const names = await readdir(pendingDir(home)).catch(() => [] as string[]);
  const out: { run: string; pending: PendingRun }[] = [];
  for (const name of names.sort()) {
    const run = name.replace(/\.json$/, '');
    if (!RUN_ID.test(run) || !name.endsWith('.json')) continue;
    const text = await readText(join(pendingDir(home), name));
    try {
      const p = JSON.parse(text) as PendingRun;
      if (p && typeof p.entry === 'object' && Number.isSafeInteger(p.serialBefore) && Number.isSafeInteger(p.levelBefore) && Number.isSafeInteger(p.owner?.pid)) {
        out.push({ run, pending: p });
        continue;
      }
    } catch { /* below */ }
    throw new UpdateError('verification', `${join(pendingDir(home), name)} is damaged`, { hint: 'Run `wso2update audit --verify`; remove the file once the trail is checked.' });
  }
  return out;
}

export async function removePending(home: string, run: string): Promise<void> {
  if (RUN_ID.test(run)) await rm(join(pendingDir(home), `${run}.json`), { force: true });
}
