// io/denied: permission and read-only refusals become the operator's error (who owns what, what to do), nothing else does.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chownSync, mkdirSync, chmodSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { deniedError } from '../../src/io/denied.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

const errno = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`${code}: x`), { code, ...extra });

test('anything but EACCES, EPERM and EROFS is not this module\'s: null', () => {
  for (const e of [errno('ENOENT', { path: '/x' }), errno('EEXIST'), errno('ENOSPC'), new Error('plain'), 'EACCES', { code: 'EACCES' }, null, undefined]) {
    assert.is(deniedError(e), null, String((e as { code?: string })?.code ?? e));
  }
});

test('EROFS: the path, "read-only file system", and to remount; the caller\'s word on what became of the pack', () => {
  const e = deniedError(errno('EROFS', { path: '/opt/wso2am/lib/a.jar' }), 'Everything was rolled back.');
  assert.instance(e, UpdateError);
  assert.is(e!.code, 'io');
  assert.is(e!.message, '/opt/wso2am/lib/a.jar is on a read-only file system (EROFS)');
  assert.match(e!.hint ?? '', /^Everything was rolled back\. .*remount it read-write/);
  assert.ok(e!.cause instanceof Error);
});

test('EACCES on a file not yet made: its nearest existing folder, that folder\'s owner and mode, and who runs', () => {
  const dir = join(tmpDir(), 'pack');
  mkdirSync(dir);
  chownSync(dir, 1, 1); // daemon on Debian; whoever uid 1 is in /etc/passwd
  chmodSync(dir, 0o755);
  const missing = join(dir, 'lib', 'new.jar');
  const e = deniedError(errno('EACCES', { path: missing, syscall: 'open' }));
  const me = userInfo().username;
  assert.match(e!.message, `permission denied (EACCES): user ${me} may not change ${missing} (open); ${dir} belongs to `);
  assert.match(e!.message, '(mode 0755)');
  assert.not.match(e!.message, 'uid 1 ', 'uid 1 has a passwd name here');
  assert.match(e!.hint ?? '', /^Nothing was changed\. Run wso2update as \S+, the user that owns the pack \(for example with `sudo -u \S+`\), or give/);
});

test('an owner with no passwd entry is named by uid; an error without a path says so', () => {
  const dir = tmpDir();
  chownSync(dir, 4_000_123, 4_000_123);
  const e = deniedError(errno('EPERM', { path: dir, syscall: 'rename' }));
  assert.match(e!.message, `${dir} belongs to uid 4000123`);
  assert.match(e!.hint ?? '', 'Run wso2update as uid 4000123');
  const bare = deniedError(errno('EPERM'));
  assert.match(bare!.message, '(a path the system did not name)');
  assert.match(bare!.hint ?? '', 'the owner of the pack');
  const dest = deniedError(errno('EACCES', { dest: '/x/y' }));
  assert.match(dest!.message, 'may not change /x/y');
});

test.run();
