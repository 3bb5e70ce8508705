// The expiry rule for offline bundles (README "Offline bundles"). By default a bundle's signed metadata must be
// unexpired now, like the channel's. An air-gapped site may pass --accept-expired: expiry is then judged at the time
// the bundle says it was made (bundle.json), which must not be in the future, so metadata that expired after the
// bundle was made is accepted, and each such role is reported. Never relaxed: signatures by the pinned root's keys,
// versions that never go back below what the pack has seen, and a pinned root (an unsigned bundle is always refused).
import { UpdateError, type Diagnostic } from '../../core/errors.js';
import type { BundleTransport } from './transport.js';
import { readBundleInfo } from './info.js';

/** The time a bundle says it was made (bundle.json), refused when in the future. Only bundles have one (open.ts). */
export async function bundleReferenceTime(transport: BundleTransport, now: Date): Promise<Date> {
  const info = await readBundleInfo(transport);
  const made = new Date(info.createdAt);
  if (made.getTime() > now.getTime()) {
    throw new UpdateError('verification', `the bundle ${transport.location} says it was made at ${info.createdAt}, which is in the future`, {
      hint: 'Check this machine\'s clock; a bundle made later than now cannot have its expiry judged at its making. Nothing was changed.',
    });
  }
  return made;
}

/** One warning per role that is expired now but was accepted because it was valid when the bundle was made. */
export function acceptedExpiries(expiries: Array<{ role: string; expires: string }>, made: Date, now: Date): Diagnostic[] {
  return expiries.filter((e) => new Date(e.expires).getTime() <= now.getTime()).map((e) => ({
    severity: 'warning', code: 'verification',
    summary: `signed ${e.role} metadata expired at ${e.expires}; accepted (--accept-expired) because the bundle was made at ${made.toISOString()}, before it expired`,
  }));
}

/** A bundle's expired metadata: the refusal says what the operator may decide. */
export function bundleExpiryRefusal(err: unknown, location: string, accepted: boolean): unknown {
  if (!(err instanceof UpdateError) || !/^expired signed metadata/.test(err.message)) return err;
  return new UpdateError('verification', `the bundle ${location} holds ${err.message}`, {
    hint: accepted
      ? 'It had already expired when the bundle says it was made: nothing was changed. Ask for a new bundle, made from the current channel.'
      : 'Nothing was changed. An air-gapped site that trusts how the bundle reached it may accept metadata that expired after the bundle was made: run again with --accept-expired.',
    cause: err,
  });
}
