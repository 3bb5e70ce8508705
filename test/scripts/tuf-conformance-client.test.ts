// scripts/tuf-conformance-client.mjs, the TUF conformance suite's client under test over this project's trust layer,
// driven as the suite drives it (a child process per command: init, refresh, download) against a repository made
// in code (test/helpers/tuf-sim.ts) on 127.0.0.1, metadata and targets at separate base URLs, checking what the
// suite measures: exit codes, the metadata kept in --metadata-dir, the files in --target-dir, the requests made.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MetaFile, Metadata, MetadataKind, Root } from '@tufjs/models';
import { newKey } from '../../src/publish/keys.js';
import { collect, ROOT, tmpDir, type RunResult } from '../helpers/tmp.js';
import { sign } from '../helpers/tuf-evil.js';
import { diamond, tufKey, TufSim, withSim } from '../helpers/tuf-sim.js';

const CLIENT = join(ROOT, 'scripts/tuf-conformance-client.mjs');
const base = tmpDir('wso2update-tuf-conformance-client-');
let n = 0;

function run(args: string[]): Promise<RunResult> {
  return collect(spawn(process.execPath, [CLIENT, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }));
}

/** A client as the suite makes one: its own metadata and target folders, initialised with the sim's first root. */
async function client(sim: TufSim, rootBytes = sim.version('root', 1)) {
  const dir = join(base, `c${n++}`);
  const metadataDir = join(dir, 'metadata');
  const targetDir = join(dir, 'targets');
  const root = join(dir, 'initial_root.json');
  mkdirSync(targetDir, { recursive: true });
  writeFileSync(root, rootBytes);
  const init = await run(['--metadata-dir', metadataDir, 'init', root]);
  // init stores what it is given (the protocol expects no checks); refresh is what refuses a bad root.
  assert.is(init.code, 0, init.stderr);

  const meta = ['--metadata-dir', metadataDir, '--metadata-url', `${sim.url}/metadata/`];
  return {
    metadataDir,
    targetDir,
    refresh: () => run([...meta, 'refresh']),
    download: (...names: string[]) => run([...meta, ...names.flatMap((t) => ['--target-name', t]), '--target-base-url', `${sim.url}/targets/`, '--target-dir', targetDir, 'download']),
    version: (role: string): number => JSON.parse(readFileSync(join(metadataDir, `${role}.json`), 'utf8')).signed.version,
    kept: () => readdirSync(metadataDir).sort(),
    file: (name: string) => readFileSync(join(targetDir, encodeURIComponent(name)), 'utf8'),
  };
}


const products = (sim: TufSim) => {
  sim.delegate('targets', 'wso2am-4.2.0', ['wso2am-4.2.0/*']);
  sim.addTarget('wso2am-4.2.0', 'wso2am-4.2.0/index.json', Buffer.from('delegated\n'));
  sim.addTarget('targets', 'top.txt', Buffer.from('top\n'), ['sha512']);
  sim.publish(['wso2am-4.2.0', 'targets', 'snapshot', 'timestamp']);
};
const targetRequests = (sim: TufSim) => sim.requests.filter((r) => r.startsWith('targets/'));

test('init stores the root and asks nothing; refresh keeps the top-level roles under non-versioned names', () => withSim(async (sim) => {
  const c = await client(sim);
  assert.equal(c.kept(), ['root.json']);
  assert.equal(readFileSync(join(c.metadataDir, 'root.json')), sim.version('root', 1));
  assert.equal(sim.requests, [], 'init made a request');
  const r = await c.refresh();
  assert.is(r.code, 0, r.stderr);
  assert.equal(c.kept(), ['root.json', 'snapshot.json', 'targets.json', 'timestamp.json']);
  assert.equal(sim.requests, ['metadata/2.root.json', 'metadata/timestamp.json', 'metadata/1.snapshot.json', 'metadata/1.targets.json']);
}));

test('download: targets in argument order with one refresh, a delegated one and a sha512-only one; a second run fetches none again', () => withSim(async (sim) => {
  const c = await client(sim);
  const r = await c.download('wso2am-4.2.0/index.json', 'top.txt');
  assert.is(r.code, 0, r.stderr);
  assert.is(c.file('wso2am-4.2.0/index.json'), 'delegated\n');
  assert.is(c.file('top.txt'), 'top\n');
  assert.ok(c.kept().includes('wso2am-4.2.0.json'), 'the delegated role is kept');
  assert.is(targetRequests(sim).length, 2);
  assert.is(sim.requests.filter((q) => q === 'metadata/timestamp.json').length, 1, 'one refresh for both targets');
  const again = await c.download('wso2am-4.2.0/index.json', 'top.txt');
  assert.is(again.code, 0, again.stderr);
  assert.is(targetRequests(sim).length, 2, 'a target already downloaded with matching hashes is not fetched again');
  // The artifact changes: downloaded again, under the same file name.
  sim.addTarget('targets', 'top.txt', Buffer.from('top, second edition\n'), ['sha512']);
  sim.publish(['targets', 'snapshot', 'timestamp']);
  const changed = await c.download('top.txt');
  assert.is(changed.code, 0, changed.stderr);
  assert.is(c.file('top.txt'), 'top, second edition\n');
}, products));

test('download stops at the first target that fails: exit 1, a one-line reason, nothing after it fetched', () => withSim(async (sim) => {
  const c = await client(sim);
  const r = await c.download('nonexistent', 'top.txt');
  assert.is(r.code, 1);
  assert.match(r.stderr, /^tuf-conformance-client: the target \(nonexistent\) is not a signed target of /);
  assert.not.ok(existsSync(join(c.targetDir, 'top.txt')));
  assert.equal(targetRequests(sim), []);
}, products));

test('a tampered artifact is refused and not written', () => withSim(async (sim) => {
  const c = await client(sim);
  sim.artifacts.set('top.txt', Buffer.from('tox\n'));
  const r = await c.download('top.txt');
  assert.is(r.code, 1);
  assert.match(r.stderr, /does not match its signed sha512 and length/);
  assert.equal(readdirSync(c.targetDir), []);
}, products));

test('role "/delegatedrole": asked for as metadata/1.%2Fdelegatedrole.json, kept as a fifth file', () => withSim(async (sim) => {
  const c = await client(sim);
  assert.is((await c.download('nonexistent target')).code, 1);
  assert.ok(sim.requests.includes('metadata/1.%2Fdelegatedrole.json'), sim.requests.join('\n'));
  assert.is(c.kept().length, 5);
}, (sim) => {
  sim.delegate('targets', '/delegatedrole', ['*']);
  sim.publish(['/delegatedrole', 'targets', 'snapshot', 'timestamp']);
}));

test('a failed refresh keeps what verified: the rotated root stays although the timestamp is missing', () => withSim(async (sim) => {
  const c = await client(sim);
  const next = newKey('root');
  sim.signed<Root>('root').addKey(tufKey(next), 'root');
  sim.signers.set('root', [...sim.signers.get('root')!, next]);
  sim.publish(['root']);
  sim.missing.add('metadata/timestamp.json');
  const r = await c.refresh();
  assert.is(r.code, 1);
  assert.is(c.version('root'), 2);
  assert.equal(c.kept(), ['root.json']);
}));

test('a repository without consistent snapshots: plain metadata and target names', () => withSim(async (sim) => {
  const c = await client(sim);
  const r = await c.download('top.txt');
  assert.is(r.code, 0, r.stderr);
  assert.is(c.file('top.txt'), 'top\n');
  assert.ok(sim.requests.includes('metadata/snapshot.json') && sim.requests.includes('targets/top.txt'), sim.requests.join('\n'));
}, (sim) => {
  sim.addTarget('targets', 'top.txt', Buffer.from('top\n'));
  sim.publish(['targets', 'snapshot', 'timestamp']);
}, false));

test('diamond delegation: a role verified through A is refused through B, whose keys did not sign it', () => withSim(async (sim) => {
  const c = await client(sim);
  const r = await c.download('x/ok', 'y/forged');
  assert.is(r.code, 1);
  assert.match(r.stderr, /signature check failed/);
  assert.is(c.file('x/ok'), 'ok\n');
  assert.not.ok(existsSync(join(c.targetDir, encodeURIComponent('y/forged'))));
}, diamond));

test('an initial root that is invalid or not signed by its own keys: refresh exits 1 and asks nothing', () => withSim(async (sim) => {
  const good = JSON.parse(sim.version('root', 1).toString('utf8'));
  const noVersion = structuredClone(good);
  delete noVersion.signed.version;
  const badSig = structuredClone(good);
  badSig.signatures[0].sig = '00'.repeat(64);
  for (const root of [noVersion, badSig]) {
    const c = await client(sim, Buffer.from(JSON.stringify(root)));
    const r = await c.refresh();
    assert.is(r.code, 1);
    assert.match(r.stderr, /^tuf-conformance-client: /);
  }
  assert.equal(sim.requests, []);
}));

test('a timestamp changed without a new version is ignored: the one kept stays', () => withSim(async (sim) => {
  const c = await client(sim);
  assert.is((await c.refresh()).code, 0);
  const ts = Metadata.fromJSON(MetadataKind.Timestamp, JSON.parse(sim.version('timestamp', 1).toString('utf8')));
  ts.signed.snapshotMeta = new MetaFile({ version: 100 });
  sim.forged.set('metadata/timestamp.json', sign(ts, sim.signers.get('timestamp')![0]));
  assert.is((await c.refresh()).code, 0);
  assert.equal(readFileSync(join(c.metadataDir, 'timestamp.json')), sim.version('timestamp', 1));
}));

test('bad command lines exit 1 with the usage', async () => {
  for (const args of [[], ['refresh'], ['--metadata-dir', base, 'refresh'], ['--metadata-dir', base, 'frobnicate'], ['--bogus']]) {
    const r = await run(args);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^tuf-conformance-client: /);
  }
});

test('a checkout without a build says to build it, exit 1', async () => {
  const copy = join(base, 'unbuilt', 'scripts');
  mkdirSync(copy, { recursive: true });
  copyFileSync(CLIENT, join(copy, 'tuf-conformance-client.mjs'));
  const r = await collect(spawn(process.execPath, [join(copy, 'tuf-conformance-client.mjs'), '--metadata-dir', join(base, 'm'), 'init', CLIENT], { stdio: ['pipe', 'pipe', 'pipe'] }));
  assert.is(r.code, 1);
  assert.match(r.stderr, /dist\/io\/[a-z/-]+\.js is missing: run `npm ci && npm run build` in .*unbuilt\/ first/);
});

test('init into a folder that holds anything but metadata files refuses it and leaves it as it was; a re-init replaces the kept metadata', () => withSim(async (sim) => {
  const home = join(base, 'a-home-folder');
  mkdirSync(join(home, '.ssh'), { recursive: true });
  writeFileSync(join(home, '.ssh', 'id_ed25519'), 'secret\n');
  writeFileSync(join(home, 'notes.txt'), 'mine\n');
  const root = join(base, 'root-for-init.json');
  writeFileSync(root, sim.version('root', 1));
  const r = await run(['--metadata-dir', home, 'init', root]);
  assert.is(r.code, 1);
  assert.match(r.stderr, /is not a metadata folder of this client/);
  assert.equal(readdirSync(home).sort(), ['.ssh', 'notes.txt']);
  assert.is(readFileSync(join(home, '.ssh', 'id_ed25519'), 'utf8'), 'secret\n');

  const c = await client(sim);
  assert.is((await c.refresh()).code, 0);
  assert.ok(c.kept().length > 1);
  assert.is((await run(['--metadata-dir', c.metadataDir, 'init', root])).code, 0);
  assert.equal(c.kept(), ['root.json']);
}));

test.run();
