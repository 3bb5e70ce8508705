// A file-system refusal that is the operator's to fix, not a bug: wrong user (EACCES, EPERM) or a read-only pack
// (EROFS, a read-only mount). Turned into an UpdateError that names the path, the folder's owner and mode, the user
// running, and what to do. The one place for it: the CLI's last catch and apply's rollback both go through here.
import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname } from 'node:path';
import { UpdateError } from '../core/errors.js';

const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);

/** The user name of `uid` from /etc/passwd, else `uid N` (no lookup beyond the local file: no NSS, no network). */
function userName(uid: number): string {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (id !== undefined && Number(id) === uid) return name;
    }
  } catch { /* no passwd file (Windows, a minimal image) */ }
  return `uid ${uid}`;
}

function runningUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'this user'; // no passwd entry for the running uid (a container started with --user N)
  }
}

/** The path itself when it exists, else its nearest existing parent (a file not yet created: its folder decides). */
function nearest(path: string): { path: string; uid: number; mode: number } | null {
  for (let p = path; ; p = dirname(p)) {
    const st = statSync(p, { throwIfNoEntry: false });
    if (st) return { path: p, uid: st.uid, mode: st.mode & 0o7777 };
    if (dirname(p) === p) return null;
  }
}

/**
 * `err` as the operator's error when it is a permission or read-only refusal, else null. `done` says what became of
 * the pack (nothing was changed, or everything was rolled back): the caller knows, this module does not.
 */
export function deniedError(err: unknown, done = 'Nothing was changed.'): UpdateError | null {
  if (!(err instanceof Error) || !DENIED.has((err as NodeJS.ErrnoException).code ?? '')) return null;
  const e = err as NodeJS.ErrnoException;
  const path = e.path ?? (e as { dest?: string }).dest ?? '(a path the system did not name)';
  if (e.code === 'EROFS') {
    return new UpdateError('io', `${path} is on a read-only file system (EROFS)`, {
      hint: `${done} The pack, or this part of it, is mounted read-only: remount it read-write for the update (or update a writable copy), then run again.`,
      cause: err,
    });
  }
  const at = e.path ? nearest(e.path) : null;
  const me = runningUser();
  const whose = at ? `; ${at.path} belongs to ${userName(at.uid)} (mode ${at.mode.toString(8).padStart(4, '0')})` : '';
  const owner = at ? userName(at.uid) : 'the owner of the pack';
  return new UpdateError('io', `permission denied (${e.code}): user ${me} may not change ${path}${e.syscall ? ` (${e.syscall})` : ''}${whose}`, {
    hint: `${done} Run wso2update as ${owner}, the user that owns the pack (for example with \`sudo -u ${owner}\`), or give ${me} write access to it.`,
    cause: err,
  });
}
