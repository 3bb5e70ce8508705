// channel/trust/errors: tuf-js's and @tufjs/models' error classes as our one error, each named for the attack it
// looks like; this machine's file-system errors are exit 1, never a trust failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as models from '@tufjs/models/dist/error.js';
import * as tuf from 'tuf-js/dist/error.js';
import { trustError } from '../../../src/channel/trust/errors.js';
import { UpdateError } from '../../../src/core/errors.js';

test('each tuf-js or models error: exit 7, the kind, then the innermost reason on one line', () => {
  const table: [Error, string][] = [
    [new tuf.ExpiredMetadataError('timestamp.json is expired'), 'expired signed metadata (a freeze attack or a stale mirror): timestamp.json is expired'],
    [new tuf.BadVersionError('New root version 2 is less than current version 3'), 'rollback refused: New root version 2'],
    [new models.UnsignedMetadataError('targets was signed by 0/1 keys'), 'signature check failed (not signed by the keys trusted for that role)'],
    [new models.LengthOrHashMismatchError('Expected hash abc'), 'signed metadata does not match the length or hash its parent names'],
    [new tuf.DownloadLengthMismatchError('Max length reached'), 'a response is larger than its signed length (endless data)'],
    [new tuf.DownloadHTTPError('404 on snapshot', 404), 'the repository is not signed or incomplete'],
    [new tuf.RuntimeError('Unable to load snapshot metadata error Error: snapshot\nwas signed by 0/1 keys'), 'signature check failed (not signed by the keys trusted for that role): snapshot was signed by 0/1 keys'],
    [new Error('weird'), 'invalid signed metadata: weird'],
  ];
  for (const [err, start] of table) {
    const e = trustError(err, null);
    assert.is(e.code, 'verification', err.message);
    assert.ok(e.message.startsWith(start), `${e.message}\n  wanted: ${start}`);
    assert.is(e.cause, err);
  }
});

test('expiry and rollback get their own hints (not "unsigned data"); forgeries the publisher\'s', () => {
  assert.match(trustError(new tuf.ExpiredMetadataError('x'), null).hint ?? '', '--refresh-timestamp');
  assert.match(trustError(new tuf.BadVersionError('x'), null).hint ?? '', 'older signed metadata than this pack has already verified');
  assert.match(trustError(new models.UnsignedMetadataError('x'), null).hint ?? '', 'serves data its publisher did not sign');
});

test('the transport\'s own error wins for wrapped failures; ours passes through; a missing timestamp: "not signed"', () => {
  const server = new UpdateError('network', 'HTTP 403 from server');
  assert.is(trustError(new tuf.RuntimeError('Unable to load'), server), server);
  assert.is(trustError(new tuf.DownloadHTTPError('403', 403), server), server);
  const ours = new UpdateError('verification', 'x');
  assert.is(trustError(ours, null), ours);
  const unsigned = trustError(new tuf.DownloadHTTPError('Unable to load metadata/timestamp.json', 404), null);
  assert.is(unsigned.message, 'the repository is not signed: it has no metadata/timestamp.json');
  assert.match(unsigned.hint ?? '', 'init --allow-unsigned');
});

test('a file-system error is this machine\'s (exit 1); a non-Error is still a verification failure', () => {
  const io = trustError(Object.assign(new Error('ENOSPC: no space left'), { code: 'ENOSPC' }), null);
  assert.is(io.code, 'io');
  assert.match(io.hint ?? '', 'free space and permissions');
  const odd = trustError('thrown string', null);
  assert.is(odd.code, 'verification');
  assert.is(odd.message, 'TUF verification failed: thrown string');
});

test.run();
