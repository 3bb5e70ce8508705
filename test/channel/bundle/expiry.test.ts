// channel/bundle/expiry: a bundle's metadata must be unexpired now, or (with --accept-expired) when the bundle says
// it was made, which must not be in the future.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { acceptedExpiries, bundleExpiryRefusal, bundleReferenceTime } from '../../../src/channel/bundle/expiry.js';
import { UpdateError } from '../../../src/core/errors.js';
import type { BundleTransport } from '../../../src/channel/bundle/transport.js';

const NOW = new Date('2026-12-07T12:00:00Z');
const info = (createdAt: string) => JSON.stringify({ formatVersion: 1, kind: 'update', product: 'wso2am-4.2.0', fromLevel: 0, toLevel: 1, levels: [0, 1], createdAt, toolVersion: '0.1.0', blobs: 0, blobBytes: 0 });

/** A bundle as the transport table sees one: its entries listed; reads answer from them. */
function bundle(files: Record<string, string>): BundleTransport {
  return {
    location: '/tmp/x.tar.gz',
    entries: new Map(Object.entries(files)),
    read: async (rel: string) => {
      if (!(rel in files)) throw new UpdateError('not-found', `${rel} missing`);
      return Buffer.from(files[rel]);
    },
    fetchTo: async () => { throw new Error('not used'); },
  } as unknown as BundleTransport;
}

// Only bundles have one: channel/open.ts refuses --accept-expired for any other transport (test/channel/open.test.ts).
test('the reference time is when the bundle was made', async () => {
  assert.equal(await bundleReferenceTime(bundle({ 'bundle.json': info('2026-11-01T00:00:00Z') }), NOW), new Date('2026-11-01T00:00:00Z'));
});

test('a bundle made in the future is refused (exit 7), pointing at the clock', async () => {
  try {
    await bundleReferenceTime(bundle({ 'bundle.json': info('2027-01-01T00:00:00Z') }), NOW);
    assert.unreachable();
  } catch (err) {
    assert.is((err as UpdateError).code, 'verification');
    assert.match((err as Error).message, 'says it was made at 2027-01-01T00:00:00Z, which is in the future');
    assert.match((err as UpdateError).hint ?? '', 'clock');
  }
});

test('acceptedExpiries: one warning per role expired now, none for roles still valid', () => {
  const made = new Date('2026-11-01T00:00:00Z');
  const w = acceptedExpiries([{ role: 'timestamp', expires: '2026-11-08T00:00:00Z' }, { role: 'root', expires: '2027-11-01T00:00:00Z' }, { role: 'snapshot', expires: NOW.toISOString() }], made, NOW);
  assert.equal(w.map((d) => [d.severity, d.code]), [['warning', 'verification'], ['warning', 'verification']]);
  assert.match(w[0].summary, 'signed timestamp metadata expired at 2026-11-08T00:00:00Z; accepted (--accept-expired) because the bundle was made at 2026-11-01T00:00:00.000Z');
  assert.match(w[1].summary, 'signed snapshot');
});

test('bundleExpiryRefusal: an expiry is reworded with the way out (or why there is none); other errors pass unchanged', () => {
  const expired = new UpdateError('verification', 'expired signed metadata: timestamp');
  const e = bundleExpiryRefusal(expired, '/b.tar.gz', false) as UpdateError;
  assert.is(e.message, 'the bundle /b.tar.gz holds expired signed metadata: timestamp');
  assert.match(e.hint ?? '', 'run again with --accept-expired');
  assert.is(e.cause, expired);
  assert.match((bundleExpiryRefusal(expired, '/b', true) as UpdateError).hint ?? '', 'had already expired when the bundle says it was made');
  const other = new UpdateError('verification', 'bad signature');
  assert.is(bundleExpiryRefusal(other, '/b', false), other);
  const plain = new Error('expired signed metadata');
  assert.is(bundleExpiryRefusal(plain, '/b', false), plain);
});

test.run();
