// tuf-js and @tufjs/models throw their own error classes (two hierarchies, `name` always "Error", snapshot and
// targets failures wrapped in a RuntimeError that only keeps the message). This turns each into our one error, code
// `verification` (exit 7), with a one-line reason naming the attack it looks like.
import * as models from '@tufjs/models/dist/error.js';
import * as tuf from 'tuf-js/dist/error.js';
import { UpdateError } from '../../core/errors.js';

const HINT = 'Nothing was changed in the pack; of the repository\'s metadata only what verified is kept (updates/wso2update/trust/). '
  + 'The repository (or something between it and you) serves data its publisher did not sign: tell the publisher, or use a faithful mirror.';

/** The innermost message: tuf-js nests "Unable to load ... error Error: <reason>". */
function reason(err: Error): string {
  const m = /error (?:\w*Error: )?(.*)$/s.exec(err.message);
  return (err instanceof tuf.RuntimeError && m ? m[1] : err.message).replace(/\s+/g, ' ').trim();
}

function kind(err: Error, text: string): string {
  if (err instanceof tuf.ExpiredMetadataError || /expired/i.test(text)) return 'expired signed metadata (a freeze attack or a stale mirror)';
  if (err instanceof tuf.BadVersionError || /less than current version|does not match snapshot version|doesn't match timestamp/.test(text)) return 'rollback refused';
  if (err instanceof models.UnsignedMetadataError || /signed by \d+\/\d+ keys/.test(text)) return 'signature check failed (not signed by the keys trusted for that role)';
  if (err instanceof models.LengthOrHashMismatchError || /Expected hash|Expected length|hash mismatch/i.test(text)) return 'signed metadata does not match the length or hash its parent names (tampered or mixed)';
  if (err instanceof tuf.DownloadLengthMismatchError || /Max length reached/.test(text)) return 'a response is larger than its signed length (endless data)';
  if (err instanceof tuf.DownloadHTTPError) return 'the repository is not signed or incomplete';
  return 'invalid signed metadata';
}

/**
 * Expiry and rollback are not forgeries: the metadata is signed, only too old. Said as what they most likely are (a
 * channel whose timestamp was not re-signed in time, a stale mirror or bundle) and what to do, never as "data its
 * publisher did not sign".
 */
function hintFor(k: string): string {
  if (k.startsWith('expired')) {
    return 'Nothing was changed in the pack. The signed metadata has expired: the channel must re-sign its timestamp in time '
      + '(`wso2update publish --repo DIR --keys DIR --refresh-timestamp`, e.g. from cron), or this mirror or bundle is stale: '
      + 'refresh the mirror, make the bundle again, or for a bundle carried by hand pass --accept-expired (judged at the time it was made).';
  }
  if (k === 'rollback refused') {
    return 'Nothing was changed in the pack. The repository serves older signed metadata than this pack has already verified: '
      + 'a stale mirror or bundle (or a rollback attack). Use a copy at least as new as the channel the pack last read; the pack '
      + 'keeps the newer versions it trusts (updates/wso2update/trust/).';
  }
  return HINT;
}

export function trustError(err: unknown, lastTransportError: unknown): UpdateError {
  if (err instanceof UpdateError) return err;
  // tuf-js wraps snapshot and targets failures (RuntimeError) and rethrows a 403 it does not take as "no newer root"
  // (DownloadHTTPError): the transport's own error says what the server answered.
  if ((err instanceof tuf.RuntimeError || err instanceof tuf.DownloadHTTPError) && lastTransportError instanceof UpdateError) return lastTransportError;
  if (!(err instanceof Error)) return new UpdateError('verification', `TUF verification failed: ${String(err)}`, { hint: HINT });
  // A file system error (the trust folder cannot be written or read, a repository folder's file unreadable) is this
  // machine's, never the publisher's: exit 1, not 7.
  const errno = (err as NodeJS.ErrnoException).code;
  if (typeof errno === 'string' && /^E[A-Z]+$/.test(errno)) {
    return new UpdateError('io', err.message, { hint: 'Check the free space and permissions of the folder named; the pack itself was not changed.', cause: err });
  }
  if (err instanceof tuf.DownloadHTTPError && /timestamp\.json/.test(err.message)) {
    return new UpdateError('verification', 'the repository is not signed: it has no metadata/timestamp.json', {
      hint: 'Sign it (wso2update publish ... --keys DIR), or adopt the pack with `init --allow-unsigned` to accept an unsigned repository.',
      cause: err,
    });
  }
  const text = reason(err);
  const k = kind(err, text);
  return new UpdateError('verification', `${k}: ${text}`, { hint: hintFor(k), cause: err });
}
