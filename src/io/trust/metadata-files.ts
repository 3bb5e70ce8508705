// The signed metadata files a client needs to verify a repository from scratch or from any older trusted state:
// every root version (a client may hold root 1 and must walk each rotation), the newest root under its fixed name,
// the snapshot and the targets versions it names, delegated roles included (consistent snapshots), and
// timestamp.json last, in the order a copy must be written in. Mirror copies them into a folder, create-update into a
// bundle. A delegated role is fetched under its URL-encoded name and kept under the name a static web server
// serving the copy would map that URL to (role "/x": `metadata/1./x.json`; ReadOptions.encoded).
import { UpdateError } from '../../core/errors.js';
import { assertSafePath } from '../../core/paths.js';
import { decodedRel, type Transport } from '../transport.js';
import { LATEST_ROOT_REL, TIMESTAMP_REL, versionedRel } from './layout.js';

const META_MAX = 1 << 24;

type Signed = { signed: { meta: Record<string, { version: number }> } };

export async function signedMetadata(from: Transport, signal?: AbortSignal): Promise<Array<[string, Buffer]>> {
  const read = (rel: string) => from.read(rel, { maxBytes: META_MAX, signal });
  const timestamp = await read(TIMESTAMP_REL);
  const ts = JSON.parse(timestamp.toString('utf8')) as Signed;
  const snapRel = versionedRel(ts.signed.meta['snapshot.json'].version, 'snapshot');
  const snapshot = await read(snapRel);
  const snap = JSON.parse(snapshot.toString('utf8')) as Signed;
  // targets.json first: delegated roles in the snapshot's order after it.
  const roles = Object.entries(snap.signed.meta).sort(([a], [b]) => Number(b === 'targets.json') - Number(a === 'targets.json'));
  const targets: Array<[string, Buffer]> = [];
  for (const [name, { version }] of roles) {
    const encoded = versionedRel(version, encodeURIComponent(name.replace(/\.json$/, '')));
    const rel = decodedRel(encoded, true);
    assertSafePath(rel, `the snapshot of ${from.location}`);
    targets.push([rel, await from.read(encoded, { maxBytes: META_MAX, signal, encoded: true })]);
  }
  const files: Array<[string, Buffer]> = [];
  for (let v = 1; ; v++) {
    const bytes = await read(versionedRel(v, 'root')).catch((err: unknown) => {
      if (err instanceof UpdateError && err.code === 'not-found') return null;
      throw err;
    });
    if (bytes === null) break;
    files.push([versionedRel(v, 'root'), bytes]);
  }
  files.push([LATEST_ROOT_REL, files[files.length - 1][1]], ...targets, [snapRel, snapshot], [TIMESTAMP_REL, timestamp]);
  return files;
}
