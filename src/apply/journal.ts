// Writing the write-ahead journal (its format and reading: io/pending-run.ts): only the executor writes it, once
// per phase, and deleting it is the commit point of every run.
import { dirname } from 'node:path';
import type { FsOps } from '../io/fsops.js';
import { type Journal } from '../io/pending-run.js';
import { packPaths } from '../io/pack.js';

/** Atomic and durable: temp file, fsync, rename, fsync the folder. */
export async function writeJournal(home: string, journal: Journal, ops: FsOps): Promise<void> {
  const file = packPaths(home).journal;
  const tmp = `${file}.tmp`;
  if ((await ops.lstat(tmp)) !== null) await ops.unlink(tmp);
  try {
    await ops.writeFile(tmp, `${JSON.stringify(journal)}\n`, 0o600);
    await ops.fsyncFile(tmp);
    await ops.rename(tmp, file);
  } catch (err) {
    await ops.unlink(tmp).catch(() => undefined);
    throw err;
  }
  await ops.fsyncDir(dirname(file));
}

/** The commit point: once this unlink is durable the update has happened. */
export async function deleteJournal(home: string, ops: FsOps): Promise<void> {
  const file = packPaths(home).journal;
  await ops.unlink(file);
  await ops.fsyncDir(dirname(file));
}

