// The trust layer (io/trust: refreshTrust and its reads) against the TUF client specification, one case per defect
// of issue 20, each on a repository made in code (test/helpers/tuf-sim.ts) and served on 127.0.0.1:
// delegated targets are read; role names are asked for URL-encoded and kept under safe names; each role is kept as
// soon as it verifies (5.3.8, 5.4.5, 5.5.7, 5.6.7) and nothing unverified or older is; sha512-only targets are
// accepted; a role reached through a second delegator is verified against that delegator's keys (diamond).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Metadata, MetadataKind, Root, Targets } from '@tufjs/models';
import { UpdateError } from '../../../src/core/errors.js';
import { newKey } from '../../../src/publish/keys.js';
import { openTransport } from '../../../src/channel/open.js';
import type { Transport } from '../../../src/channel/transport.js';
import { refreshTrust } from '../../../src/channel/trust/client.js';
import { diamond, tufKey, TufSim, withSim } from '../../helpers/tuf-sim.js';
import { tmpDir } from '../../helpers/tmp.js';

const base = tmpDir('wso2update-trust-conformance-');
let n = 0;

/** A client pinned to the simulator's first root, in a folder of its own inside a folder that must stay empty. */
function client(sim: TufSim): { dir: string; outside: string; refresh(): ReturnType<typeof refreshTrust> } {
  const outside = join(base, `client-${n++}`);
  const dir = join(outside, 'trust');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'root.json'), sim.version('root', 1));
  return {
    dir,
    outside,
    async refresh() {
      const t = await openTransport(sim.url);
      return refreshTrust(t, dir);
    },
  };
}

const kept = (dir: string, role: string): { version: number } => JSON.parse(readFileSync(join(dir, `${role}.json`), 'utf8')).signed;
const refusal = async (p: Promise<unknown>): Promise<UpdateError> => {
  try {
    await p;
  } catch (err) {
    assert.instance(err, UpdateError);
    return err as UpdateError;
  }
  throw new Error('expected a refusal');
};


test('1. a target signed by a delegated role is read, and the delegated role is kept', () => withSim(async (sim) => {
  const c = client(sim);
  const trusted = await c.refresh();
  assert.equal([...await trusted.read('wso2am-4.2.0/index.json', 'the index')], [...Buffer.from('{"delegated":true}\n')]);
  assert.is(kept(c.dir, 'wso2am-4.2.0').version, 1);
  assert.equal(readdirSync(c.dir).sort(), ['root.json', 'snapshot.json', 'targets.json', 'timestamp.json', 'wso2am-4.2.0.json']);
}, (sim) => {
  sim.delegate('targets', 'wso2am-4.2.0', ['wso2am-4.2.0/*']);
  sim.addTarget('wso2am-4.2.0', 'wso2am-4.2.0/index.json', Buffer.from('{"delegated":true}\n'));
  sim.publish(['wso2am-4.2.0', 'targets', 'snapshot', 'timestamp']);
}));

for (const role of ['?', '#', '/delegatedrole', '../delegatedrole']) {
  test(`2. role ${JSON.stringify(role)} is asked for URL-encoded and kept under a name inside the trust folder`, () => withSim(async (sim) => {
    const c = client(sim);
    const trusted = await c.refresh();
    assert.is(await trusted.info('nonexistent target'), null);
    assert.ok(sim.requests.includes(`metadata/1.${encodeURIComponent(role)}.json`), sim.requests.join('\n'));
    assert.equal(readdirSync(c.dir).sort(), ['root.json', 'snapshot.json', 'targets.json', 'timestamp.json', `${encodeURIComponent(role)}.json`].sort());
    assert.equal(readdirSync(c.outside), ['trust'], 'nothing is written outside the trust folder');
  }, (sim) => {
    sim.delegate('targets', role, ['*']);
    sim.publish([role, 'targets', 'snapshot', 'timestamp']);
  }));
}

for (const [role, why] of [
  ['Root', 'its file would be root.json on a case-insensitive file system'],
  ['r'.repeat(220), 'its file name would be too long'],
  ['a*', 'Windows refuses "*" in a file name'],
  ['NUL', 'NUL.json is a device on Windows'],
]) {
  test(`2. role ${role.slice(0, 12)}: used, but never kept (${why})`, () => withSim(async (sim) => {
    const c = client(sim);
    const trusted = await c.refresh();
    assert.equal([...await trusted.read('p/t', 'a target')], [...Buffer.from('t\n')]);
    assert.equal(readdirSync(c.dir).sort(), ['root.json', 'snapshot.json', 'targets.json', 'timestamp.json']);
    assert.equal(readFileSync(join(c.dir, 'root.json')), sim.version('root', 1));
    assert.equal([...await (await c.refresh()).read('p/t', 'a target')], [...Buffer.from('t\n')], 'fetched again next time');
  }, (sim) => {
    sim.delegate('targets', role, ['p/*']);
    sim.addTarget(role, 'p/t', Buffer.from('t\n'));
    sim.publish([role, 'targets', 'snapshot', 'timestamp']);
  }));
}

test('3. a verified root rotation is kept although the timestamp after it fails (the old keys stop counting)', () => withSim(async (sim) => {
  const c = client(sim);
  const next = newKey('root');
  const root = sim.signed<Root>('root');
  root.addKey(tufKey(next), 'root');
  root.roles.root.threshold = 1;
  sim.signers.set('root', [...sim.signers.get('root')!, next]);
  sim.publish(['root']);
  sim.missing.add('metadata/timestamp.json');
  await refusal(c.refresh());
  assert.is(kept(c.dir, 'root').version, 2);
  assert.equal(readFileSync(join(c.dir, 'root.json')), sim.version('root', 2));
  sim.missing.clear();
  await c.refresh();
  assert.is(kept(c.dir, 'timestamp').version, 1);
}));

test('3. a verified timestamp is kept when its snapshot is missing; the snapshot stays at the version trusted', () => withSim(async (sim) => {
  const c = client(sim);
  await c.refresh();
  sim.publish(['snapshot', 'timestamp']);
  sim.missing.add('metadata/2.snapshot.json');
  await refusal(c.refresh());
  assert.is(kept(c.dir, 'timestamp').version, 2);
  assert.is(kept(c.dir, 'snapshot').version, 1);
}));

test('3. a verified snapshot is kept when its targets are unsigned; the unsigned targets are not', () => withSim(async (sim) => {
  const c = client(sim);
  await c.refresh();
  sim.signed<Targets>('targets').version = 2;
  const good = sim.signers.get('targets')!;
  sim.signers.set('targets', [newKey('targets')]); // a key the root does not list
  sim.publish(['targets', 'snapshot', 'timestamp']);
  sim.signers.set('targets', good);
  const err = await refusal(c.refresh());
  assert.is(err.code, 'verification');
  assert.is(kept(c.dir, 'snapshot').version, 2);
  assert.is(kept(c.dir, 'timestamp').version, 2);
  assert.is(kept(c.dir, 'targets').version, 1);
  // What is kept verifies against the kept root: nothing unverified was written.
  const rootMd = Metadata.fromJSON(MetadataKind.Root, JSON.parse(readFileSync(join(c.dir, 'root.json'), 'utf8')));
  for (const role of ['timestamp', 'snapshot', 'targets'] as const) {
    rootMd.verifyDelegate(role, Metadata.fromJSON(role === 'targets' ? MetadataKind.Targets : role === 'snapshot' ? MetadataKind.Snapshot : MetadataKind.Timestamp, JSON.parse(readFileSync(join(c.dir, `${role}.json`), 'utf8'))));
  }
}));

test('3. an older timestamp served later is refused and never replaces the newer one kept', () => withSim(async (sim) => {
  const c = client(sim);
  sim.publish(['timestamp']);
  await c.refresh();
  const newer = readFileSync(join(c.dir, 'timestamp.json'));
  sim.published.get('timestamp')!.pop(); // the server goes back to timestamp v1
  const err = await refusal(c.refresh());
  assert.match(err.message, /rollback refused/);
  assert.equal(readFileSync(join(c.dir, 'timestamp.json')), newer);
}));

/** Role A, delegated p/* and holding p/t. */
function roleA(sim: TufSim): void {
  sim.delegate('targets', 'A', ['p/*']);
  sim.addTarget('A', 'p/t', Buffer.from('t\n'));
  sim.publish(['A', 'targets', 'snapshot', 'timestamp']);
}

test('a delegated role larger than any allowed is refused while it streams, and not kept', () => withSim(async (sim) => {
  const c = client(sim);
  sim.forged.set('metadata/1.A.json', Buffer.alloc(6_000_000, 0x20));
  const err = await refusal((await c.refresh()).read('p/t', 'a target'));
  assert.match(err.message, /metadata\/1\.A\.json is larger than the 5000000 bytes it may have/);
  assert.not.ok(readdirSync(c.dir).includes('A.json'));
}, roleA));

test('racing refreshes of one trust folder: every file complete and verified, the newest versions, no leftovers', () => withSim(async (sim) => {
  const c = client(sim);
  for (let round = 0; round < 3; round++) {
    sim.publish(['targets', 'snapshot', 'timestamp']);
    const results = await Promise.allSettled(Array.from({ length: 4 }, async () => (await c.refresh()).read('p/t', 'a target')));
    for (const r of results) assert.is(r.status, 'fulfilled', String((r as PromiseRejectedResult).reason));
  }
  assert.equal(readdirSync(c.dir).sort(), ['A.json', 'root.json', 'snapshot.json', 'targets.json', 'timestamp.json']);
  assert.is(kept(c.dir, 'timestamp').version, 5);
  assert.is(kept(c.dir, 'snapshot').version, 5);
  assert.is(kept(c.dir, 'targets').version, 5);
  assert.equal(readFileSync(join(c.dir, 'timestamp.json')), sim.version('timestamp', 5));
}, roleA));

test('a 403 on the next root (N+1.root.json) means no newer root, as on a 404 (5.3.3; S3 without list permission)', () => withSim(async (sim) => {
  const c = client(sim);
  sim.forbidden.add('metadata/2.root.json');
  const trusted = await c.refresh();
  assert.is(await trusted.info('nonexistent target'), null);
  assert.is(kept(c.dir, 'timestamp').version, 1);
}));

test('a 403 on any other metadata is refused with the server\'s own answer (403, exit 1), not as unsigned data', () => withSim(async (sim) => {
  for (const path of ['metadata/timestamp.json', 'metadata/1.snapshot.json']) {
    sim.forbidden.clear();
    sim.forbidden.add(path);
    const err = await refusal(client(sim).refresh());
    assert.is(err.code, 'network', err.message);
    assert.match(err.message, new RegExp(`forbids .*${path.replace(/\./g, '\\.')} \\(403\\)`));
    assert.is((err as UpdateError & { status?: number }).status, 403);
  }
}));

test('racing refreshes while the repository moves on: a slower one never writes its older versions over newer ones', () => withSim(async (sim) => {
  const c = client(sim);
  await c.refresh();
  const rotate = (): void => {
    const next = newKey('root');
    sim.signed<Root>('root').addKey(tufKey(next), 'root');
    sim.signers.set('root', [...sim.signers.get('root')!, next]);
    sim.publish(['root', 'snapshot', 'timestamp']);
  };
  rotate(); // v2 of root, snapshot, timestamp: what the slow refresh verifies
  const inner = await openTransport(sim.url);
  let raced = false;
  const slow: Transport = {
    location: inner.location,
    fetchTo: (rel, dest, o) => inner.fetchTo(rel, dest, o),
    async read(rel, o) {
      const bytes = await inner.read(rel, o);
      if (!raced && rel === 'metadata/timestamp.json') {
        raced = true;
        // Its timestamp v2 has arrived; before it goes on, the repository moves to v3 and a faster refresh keeps it.
        rotate();
        await c.refresh();
        assert.is(kept(c.dir, 'root').version, 3);
      }
      return bytes;
    },
  };
  await refreshTrust(slow, c.dir);
  assert.ok(raced);
  assert.is(kept(c.dir, 'root').version, 3, 'the rotation to v3 (a key revocation) is not forgotten');
  assert.is(kept(c.dir, 'timestamp').version, 3);
  assert.is(kept(c.dir, 'snapshot').version, 3);
  assert.equal(readFileSync(join(c.dir, 'timestamp.json')), sim.version('timestamp', 3));
  assert.is(kept(c.dir, 'timestamp').version, (await c.refresh(), 3), 'and the next refresh still works from it');
}));

for (const [what, damage] of [
  ['torn by a kill mid-write (an older version wrote in place)', (b: Buffer) => b.subarray(0, 100)],
  ['empty (a machine crash before the write reached the disk)', () => Buffer.alloc(0)],
  ['not signed by its own keys (written by something else)', (b: Buffer) => Buffer.from(b.toString('utf8').replace(/"sig":"[0-9a-f]{8}/, '"sig":"00000000'))],
] as const) {
  test(`a pinned root ${what}: named as this machine's damaged file (exit 1), never blamed on the publisher`, () => withSim(async (sim) => {
    const c = client(sim);
    const bytes = damage(sim.version('root', 1));
    writeFileSync(join(c.dir, 'root.json'), bytes);
    const err = await refusal(c.refresh());
    assert.is(err.code, 'invalid-input', err.message);
    assert.ok(err.message.includes(join(c.dir, 'root.json')), err.message);
    assert.match(err.hint ?? '', /root\.json the publisher gave you/);
    assert.not.match(err.message + (err.hint ?? ''), /did not sign|tell the publisher/i);
    assert.equal(readFileSync(join(c.dir, 'root.json')), bytes, 'left as it is for the operator to look at');
    assert.equal(sim.requests, [], 'nothing asked of the repository');
  }));
}

test('a trust folder that cannot be written: an I/O error naming the file (exit 1), never blamed on the publisher', () => withSim(async (sim) => {
  const c = client(sim);
  mkdirSync(join(c.dir, 'timestamp.json')); // a folder where the verified timestamp must go
  const err = await refusal(c.refresh());
  assert.is(err.code, 'io');
  assert.match(err.message, /timestamp\.json/);
  assert.not.match(err.message + (err.hint ?? ''), /did not sign/);
}));

test('scratch copies an older version left beside a pack\'s trust folder are removed; nothing else there is', () => withSim(async (sim) => {
  const state = join(base, `pack-${n++}`, 'updates', 'wso2update');
  const other = join(base, `other-${n++}`);
  for (const d of [state, other]) {
    mkdirSync(join(d, 'trust'), { recursive: true });
    writeFileSync(join(d, 'trust', 'root.json'), sim.version('root', 1));
    mkdirSync(join(d, '.trust-refresh-Ab12Cd'));
    writeFileSync(join(d, 'state.json'), '{}');
    await refreshTrust(await openTransport(sim.url), join(d, 'trust'));
  }
  assert.equal(readdirSync(state).sort(), ['state.json', 'trust']);
  assert.equal(readdirSync(other).sort(), ['.trust-refresh-Ab12Cd', 'state.json', 'trust'], 'not a pack: left alone');
}));

test('4. a target signed with sha512 only is read; with a hash this client does not verify, it is refused', () => withSim(async (sim) => {
  const c = client(sim);
  const trusted = await c.refresh();
  assert.equal([...await trusted.read('sha512-only', 'a target')], [...Buffer.from('sha512 only\n')]);
  assert.equal([...await trusted.read('both', 'a target')], [...Buffer.from('both\n')]);
  const sha256 = createHash('sha256').update('both\n').digest('hex');
  assert.ok(sim.requests.includes(`${sha256}.both`), 'listed sha512 first, read under its sha256 name (what our copies write)');
  const weak = await refusal(trusted.read('md5-only', 'a target'));
  assert.match(weak.message, /a target \(md5-only\) is signed with no hash this client verifies \(md5; needs sha256 or sha512\)/);
}, (sim) => {
  sim.addTarget('targets', 'sha512-only', Buffer.from('sha512 only\n'), ['sha512']);
  sim.addTarget('targets', 'both', Buffer.from('both\n'), ['sha512', 'sha256']);
  sim.addTarget('targets', 'md5-only', Buffer.from('md5 only\n'), ['md5']);
  sim.publish(['targets', 'snapshot', 'timestamp']);
}));

test('4. a sha512-only target whose bytes were changed is refused', () => withSim(async (sim) => {
  const trusted = await client(sim).refresh();
  sim.artifacts.set('sha512-only', Buffer.from('sha512 onlx\n'));
  const err = await refusal(trusted.read('sha512-only', 'a target'));
  assert.match(err.message, /a target \(sha512-only\) does not match its signed sha512 and length: tampered or damaged/);
}, (sim) => {
  sim.addTarget('targets', 'sha512-only', Buffer.from('sha512 only\n'), ['sha512']);
  sim.publish(['targets', 'snapshot', 'timestamp']);
}));

test('5. diamond: a role verified through one delegator is verified again through the other, and refused there', () => withSim(async (sim) => {
  const c = client(sim);
  const trusted = await c.refresh();
  assert.equal([...await trusted.read('x/ok', 'a target')], [...Buffer.from('ok\n')]);
  const err = await refusal(trusted.read('y/forged', 'a target'));
  assert.is(err.code, 'verification');
  assert.match(err.message, /signature check failed .*C was signed by 0\/1 keys/);
  // A new client (reading C from its kept copy) refuses it the same way.
  const again = await c.refresh();
  await refusal(again.read('y/forged', 'a target'));
  assert.equal([...await again.read('x/ok', 'a target')], [...Buffer.from('ok\n')]);
}, diamond));

test('5. diamond: a role both delegators sign for is read through either', () => withSim(async (sim) => {
  const trusted = await client(sim).refresh();
  assert.equal([...await trusted.read('x/ok', 'a target')], [...Buffer.from('ok\n')]);
  assert.equal([...await trusted.read('y/forged', 'a target')], [...Buffer.from('forged\n')]);
}, (sim) => {
  diamond(sim);
  const k1 = sim.signers.get('C')![0]; // B now delegates C to K1 too
  const b = sim.signed<Targets>('B').delegations!;
  b.keys[k1.keyId] = tufKey(k1);
  b.roles!.C.keyIDs = [k1.keyId];
  sim.publish(['B', 'targets', 'snapshot', 'timestamp']);
}));

test.run();
