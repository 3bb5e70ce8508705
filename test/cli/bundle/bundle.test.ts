// Offline bundles through the real CLI: create-update on one machine's folder repository (WSO2's -s/-e spelling and
// ours give the same bytes), then the repository taken away and the pack updated from the bundle alone, to exactly
// what the channel gives; plan --bundle + apply PLAN; a gzip bundle; and every trust refusal (unsigned, a pack that
// trusts no root, foreign keys, rollback, tampered blob or manifest, expiry and --accept-expired): exit 7, the pack
// and the temporary folder exactly as before.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildFixtures, writeHome } from '../../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../../src/core/canonical.js';
import { loadKeys, newKey } from '../../../src/publish/keys.js';
import { rebundle } from '../../helpers/hostile-tar.js';
import { startFaultServer } from '../../helpers/servers.js';
import { snapshot, snapshotDiff } from '../../helpers/pack.js';
import { refusedCleanly as refused } from '../../helpers/refusal.js';
import { md, timestampFor } from '../../helpers/tuf-evil.js';
import { collect, runCli, spawnCli, tmpDir } from '../../helpers/tmp.js';

type Fx = { repo: string; keys: string; root: string; product: string; trees: Record<number, string> };
const dir = tmpDir('wso2update-bundle-cli-');
const fx = buildFixtures(join(dir, 'fx')) as Fx;
let n = 0;
const fresh = (name: string) => join(dir, `${n++}-${name}`);

async function ok(args: string[], code = 0, env: Record<string, string> = {}) {
  const r = await runCli(args, { env });
  assert.is(r.code, code, `${args.join(' ')}\n${r.stderr}`);
  return r;
}

/** A pack at level 0 adopted from its own copy of the channel, pinned to the channel's root. */
async function pack(opts: { allowUnsigned?: boolean; repo?: string } = {}): Promise<{ home: string; repo: string }> {
  const repo = opts.repo ?? fresh('repo');
  if (!opts.repo) cpSync(fx.repo, repo, { recursive: true });
  const home = writeHome(fresh('home'));
  await ok(['init', '--home', home, '--repo', repo, ...(opts.allowUnsigned ? ['--allow-unsigned'] : ['--trust-root', fx.root])]);
  return { home, repo };
}

const bundle = fresh('b-0-3.tar');
const EPOCH = { SOURCE_DATE_EPOCH: String(Math.floor(Date.now() / 1000) - 60) };
await ok(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', bundle], 0, EPOCH);

const refusedCleanly = (home: string, args: string[], code: number, re: RegExp, logged?: RegExp) => refused(home, args, code, re, fresh('tmp'), { logged });

/** The product's files, without our own state (lineage, logs and changelog dates differ between two packs). */
const productFiles = (home: string) => snapshot(home, (r) => r.startsWith('updates/wso2update') || r.startsWith('updates/logs') || r.startsWith('updates/changelog'));

test('same levels, same bytes: -s/-e and --from/--to, run twice, give one sha256; the bundle holds only what the update needs', async () => {
  const again = fresh('again.tar');
  const r = await ok(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '-s', '0', '-e', '3', '--out', again, '--json'], 0, EPOCH);
  assert.ok(readFileSync(again).equals(readFileSync(bundle)));
  const out = JSON.parse(r.stdout);
  assert.is(out.sha256, sha256Hex(readFileSync(bundle)));
  assert.equal(out.levels, [0, 1, 2, 3]);
  const manifest = (l: number) => JSON.parse(readFileSync(join(fx.repo, `products/${fx.product}/levels/000${l}/manifest.json`), 'utf8'));
  const all = new Set(Object.values(manifest(3).files).map((e: any) => e.sha256));
  assert.ok(out.blobs < all.size, `${out.blobs} blobs of ${all.size}: only the changed ones`);
  const later = fresh('2-3.tar');
  const r23 = JSON.parse((await ok(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '2', '--to', '3', '--out', later, '--json'])).stdout);
  assert.ok(r23.blobs < out.blobs);
});

test('create-update from the same channel served over HTTP writes the same bytes as from its folder (blobs downloaded, verified, then packed)', async () => {
  const server = await startFaultServer(fx.repo);
  try {
    const viaHttp = fresh('http.tar');
    await ok(['create-update', '--repo', server.url, '--product', fx.product, '--trust-root', fx.root, '--from', '0', '--to', '3', '--out', viaHttp], 0, EPOCH);
    assert.ok(readFileSync(viaHttp).equals(readFileSync(bundle)));
    assert.ok(server.seen.some((r) => r.url.startsWith('/blobs/')), 'the blobs came over HTTP');
    assert.equal(readdirSync(join(viaHttp, '..')).filter((f) => f.startsWith('.create-update-')), [], 'the download folder is gone');
  } finally {
    await server.stop();
  }
});

test('air-gapped: the repository is gone, apply-update brings the pack to level 3, file for file what the channel gives', async () => {
  const viaChannel = await pack();
  await ok(['apply', '--yes', '--home', viaChannel.home]);
  const { home, repo } = await pack();
  renameSync(repo, `${repo}-unplugged`);
  const r = await ok(['apply-update', bundle, '--home', home, '--yes']);
  assert.match(r.stderr, /level 0 -> 3/);
  const status = JSON.parse((await ok(['status', '--home', home, '--json'])).stdout);
  assert.is(status.level, 3);
  assert.equal(snapshotDiff(productFiles(viaChannel.home), productFiles(home)), []);
  // Applied again: nothing to do, still without a repository.
  assert.match((await ok(['apply-update', bundle, '--home', home, '--yes'])).stderr, /[Nn]o changes|nothing to do|already at level 3/);
});

test('plan --bundle writes a plan to review; apply PLAN applies it with no repository; a pack at a level the bundle lacks is told which bundle to ask for', async () => {
  const { home, repo } = await pack();
  renameSync(repo, `${repo}-unplugged`);
  const plan = fresh('plan.json');
  const r = await ok(['plan', '--home', home, '--bundle', bundle, '--out', plan]);
  assert.match(r.stderr, new RegExp(`Repository: ${bundle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await ok(['apply', plan, '--home', home, '--yes']);
  assert.is(JSON.parse((await ok(['status', '--home', home, '--json'])).stdout).level, 3);
  const high = fresh('2-3.tar');
  await ok(['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--from', '2', '--to', '3', '--out', high]);
  const low = await pack();
  await refusedCleanly(low.home, ['apply-update', high, '--yes'], 1, /covers wso2am-4\.2\.0 levels 2, 3; this pack is at level 0[\s\S]*create-update --from 0 --to 3/);
  await refusedCleanly(low.home, ['plan', '--bundle', high, '--repo', fx.repo], 1, /--repo does not go with it/);
});

const copies = (home: string) => readdirSync(join(home, 'updates/wso2update')).filter((f) => f.startsWith('.bundle-'));

test('a gzip-compressed bundle applies too, decompressed once per apply-update (check, plan and apply share it), and its copy is gone afterwards', async () => {
  const { home, repo } = await pack();
  renameSync(repo, `${repo}-unplugged`);
  const gz = fresh('b.tar.gz');
  writeFileSync(gz, gzipSync(readFileSync(bundle)));
  // Each decompression makes its own private .bundle-* folder: the folder's own events count them, from outside.
  const made = new Set<string>();
  const watcher = watch(join(home, 'updates/wso2update'), (_event, name) => { if (name?.startsWith('.bundle-')) made.add(name); });
  await ok(['apply-update', gz, '--home', home, '--yes']);
  await new Promise((r) => setTimeout(r, 200));
  watcher.close();
  assert.is(made.size, 1, `decompressed ${made.size} times: ${[...made].join(', ')}`);
  assert.is(JSON.parse((await ok(['status', '--home', home, '--json'])).stdout).level, 3);
  assert.equal(copies(home), []);
});

/** apply-update of a gzip bundle held at its first journal step (the decompressed copy in use), then `signal`. */
function pausedApplyUpdate(home: string, gz: string, signal: NodeJS.Signals): Promise<number | null> {
  const marker = join(fresh('pause'));
  const child = spawnCli(['apply-update', gz, '--home', home, '--yes'], {
    env: { ...process.env, CI: '1', WSO2UPDATE_TEST_PAUSE_AT_STEP: '1', WSO2UPDATE_TEST_PAUSE_MARKER: marker }, stdio: ['ignore', 'ignore', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      if (!existsSync(marker)) return;
      clearInterval(poll);
      assert.equal(copies(home).length, 1, 'the decompressed copy is there while apply runs');
      child.kill(signal);
      setTimeout(() => rmSync(marker, { force: true }), 100); // SIGINT: the run goes on from the pause and rolls back
    }, 5);
    child.on('error', reject);
    child.on('close', (code) => { clearInterval(poll); resolve(code); });
  });
}

test('Ctrl-C while a gzip bundle is being decompressed (apply-update checking it) leaves no copy and changes nothing', async () => {
  const { home } = await pack();
  // 48 MiB that gzip halves (random nibbles): long enough to decompress that the interrupt lands in the middle.
  const noise = randomBytes(48 << 20);
  for (let i = 0; i < noise.length; i++) noise[i] &= 0x0f;
  const gz = fresh('slow.tar.gz');
  writeFileSync(gz, gzipSync(Buffer.concat([readFileSync(bundle), noise]), { level: 1 }));
  const before = snapshot(home, (r) => r.startsWith('updates/logs'));
  const child = spawnCli(['apply-update', gz, '--home', home, '--yes'], { env: { ...process.env, CI: '1' }, stdio: ['ignore', 'ignore', 'pipe'] });
  const done = collect(child, null);
  let sent = false;
  const watcher = watch(join(home, 'updates/wso2update'), (_event, name) => {
    if (!sent && name?.startsWith('.bundle-')) { sent = true; child.kill('SIGINT'); }
  });
  const r = await done;
  watcher.close();
  assert.ok(sent, 'the decompression was never seen');
  assert.is(r.code, 130, `exit ${r.code}: ${r.stderr}`);
  assert.not.match(r.stderr, 'This is a bug');
  assert.equal(copies(home), [], 'Ctrl-C during decompression left the copy');
  assert.equal(snapshotDiff(before, snapshot(home, (x) => x.startsWith('updates/logs'))), []);
});

test('Ctrl-C while a gzip bundle is in use leaves no decompressed copy; one a SIGKILL left is swept by the next open', async () => {
  const gz = fresh('b.tar.gz');
  writeFileSync(gz, gzipSync(readFileSync(bundle)));
  {
    const { home } = await pack();
    const code = await pausedApplyUpdate(home, gz, 'SIGINT');
    assert.ok(code !== 0, `exit ${code}`);
    assert.equal(copies(home), [], 'Ctrl-C left the decompressed copy');
    assert.is(JSON.parse((await ok(['status', '--home', home, '--json'])).stdout).level, 0);
  }
  {
    const { home } = await pack();
    await pausedApplyUpdate(home, gz, 'SIGKILL');
    const [left] = copies(home);
    assert.ok(left, 'a SIGKILL leaves its copy');
    await ok(['recover', '--home', home]);
    // A copy is stale once nothing has written it for a minute: the killed run's, aged as if it died an hour ago.
    const old = new Date(Date.now() - 3600_000);
    for (const p of [join(home, 'updates/wso2update', left, 'bundle.tar'), join(home, 'updates/wso2update', left)]) utimesSync(p, old, old);
    await ok(['apply-update', gz, '--home', home, '--yes']);
    assert.equal(copies(home), [], 'the stale copy was not swept');
  }
});

const keys = await loadKeys(fx.keys);
/** The bundle with its timestamp re-signed: `version`, `expires`, by `key` (the real timestamp key by default). */
async function resigned(name: string, opts: { expires?: string; key?: typeof keys.timestamp; createdAt?: string; version?: number } = {}): Promise<string> {
  const out = fresh(name);
  const scratch = fresh('scratch');
  mkdirSync(join(scratch, 'metadata'), { recursive: true });
  await rebundle(bundle, out, (files) => {
    const ts = JSON.parse(files.get('metadata/timestamp.json')!.toString()).signed;
    const snapVersion = ts.meta['snapshot.json'].version;
    timestampFor(scratch, opts.version ?? ts.version, snapVersion, files.get(`metadata/${snapVersion}.snapshot.json`)!, opts.key ?? keys.timestamp, opts.expires);
    files.set('metadata/timestamp.json', md(scratch, 'timestamp.json'));
    if (opts.createdAt) files.set('bundle.json', Buffer.from(JSON.stringify({ ...JSON.parse(files.get('bundle.json')!.toString()), createdAt: opts.createdAt })));
  });
  return out;
}

test('expiry: refused by default with the way out named; --accept-expired takes what expired after the bundle was made, never what had expired before', async () => {
  const { home } = await pack();
  const expired = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  const stale = await resigned('expired.tar', { expires: expired, version: 9, createdAt: new Date(Date.now() - 120_000).toISOString() });
  const why = await refusedCleanly(home, ['apply-update', stale, '--yes'], 7, /expired signed metadata[\s\S]*--accept-expired/);
  assert.not.match(why, 'did not sign', 'expired metadata is signed, only old (issue 17)');
  const madeLate = await resigned('made-late.tar', { expires: expired, version: 9, createdAt: new Date(Date.now() - 30_000).toISOString() });
  await refusedCleanly(home, ['apply-update', madeLate, '--yes', '--accept-expired'], 7, /expired signed metadata[\s\S]*had already expired when the bundle says it was made/);
  const future = await resigned('future.tar', { createdAt: new Date(Date.now() + 3_600_000).toISOString() });
  await refusedCleanly(home, ['apply-update', future, '--yes', '--accept-expired'], 7, /which is in the future/);
  const r = await ok(['apply-update', stale, '--home', home, '--yes', '--accept-expired']);
  assert.match(r.stderr, /signed timestamp metadata expired at .*accepted \(--accept-expired\) because the bundle was made at/);
  assert.is(JSON.parse((await ok(['status', '--home', home, '--json'])).stdout).level, 3);
});

test('trust refusals: foreign keys, rollback, tampered blob or manifest, unsigned bundles and packs that trust no root: exit 7, nothing written', async () => {
  const { home, repo } = await pack();
  await refusedCleanly(home, ['apply-update', await resigned('foreign-ts.tar', { key: newKey('timestamp'), version: 9 }), '--yes'], 7, /signature check failed/);
  const other = buildFixtures(fresh('other')) as Fx;
  const foreign = fresh('foreign.tar');
  await ok(['create-update', '--repo', other.repo, '--product', other.product, '--trust-root', other.root, '--from', '0', '--to', '3', '--out', foreign]);
  await refusedCleanly(home, ['apply-update', foreign, '--yes'], 7, /signature check failed|not signed by the keys/);
  // The pack sees a newer timestamp from its channel; the (older) bundle would take it back.
  await ok(['publish', '--repo', repo, '--keys', fx.keys, '--refresh-timestamp']);
  await ok(['check', '--home', home], 10);
  const back = await refusedCleanly(home, ['apply-update', bundle, '--yes'], 7, /rollback refused/);
  assert.not.match(back, 'did not sign', 'older metadata is signed, only older than what the pack has seen (issue 17)');
  assert.match(back, /older signed metadata than this pack has already verified/);
  const fresher = await pack();
  const blobTampered = fresh('blob.tar');
  await rebundle(bundle, blobTampered, (files) => {
    // A blob the update installs (one only on level 3's side): a base-side blob is read for merges only.
    const shas = (level: string) => new Set(Object.values(JSON.parse(files.get([...files.keys()].find((p) => p.endsWith('.manifest.json') && p.includes(`/${level}/`))!)!.toString()).files).map((e: any) => e.sha256));
    const [l0, l3] = [shas('0000'), shas('0003')];
    const name = [...files.keys()].find((p) => p.startsWith('blobs/') && l3.has(p.split('/').pop()) && !l0.has(p.split('/').pop()) && files.get(p)!.length > 100)!;
    const b = Buffer.from(files.get(name)!);
    b[50] ^= 1;
    files.set(name, b);
  });
  await refusedCleanly(fresher.home, ['apply-update', blobTampered, '--yes'], 7, /does not match its sha256/, /apply 0 -> 3 .*failed: .*does not match its sha256/);
  const manifestTampered = fresh('manifest.tar');
  await rebundle(bundle, manifestTampered, (files) => {
    const name = [...files.keys()].find((p) => p.endsWith('.manifest.json') && p.includes('/0003/'))!;
    // Same length (a longer file is refused by its signed length first): a mode changed.
    files.set(name, Buffer.from(files.get(name)!.toString().replace('"mode":"0644"', '"mode":"0666"')));
  });
  await refusedCleanly(fresher.home, ['apply-update', manifestTampered, '--yes'], 7, /does not match its signed sha256 and length/);
  const unsignedFx = buildFixtures(fresh('unsigned'), { signed: false }) as Fx;
  const unsigned = fresh('unsigned.tar');
  const list = (d: string, base = d): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(join(d, e.name), base) : [join(d, e.name).slice(base.length + 1)]));
  await rebundle(bundle, unsigned, (files) => {
    for (const p of [...files.keys()]) if (p !== 'bundle.json') files.delete(p);
    for (const p of list(unsignedFx.repo)) files.set(p, readFileSync(join(unsignedFx.repo, p)));
  });
  await refusedCleanly(fresher.home, ['apply-update', unsigned, '--yes'], 7, /not signed/);
  const trustsNone = await pack({ allowUnsigned: true, repo: unsignedFx.repo });
  await refusedCleanly(trustsNone.home, ['apply-update', bundle, '--yes'], 7, /never accepted unsigned/);
  await ok(['create-update', '--repo', unsignedFx.repo, '--product', fx.product, '--allow-unsigned', '--from', '0', '--to', '3', '--out', fresh('x.tar')], 1);
  const r = await runCli(['create-update', '--repo', unsignedFx.repo, '--product', fx.product, '--from', '0', '--to', '3', '--out', fresh('x.tar')]);
  assert.is(r.code, 7, r.stderr);
  assert.match(r.stderr, /not signed/);
});

test('create-update refuses levels that do not go up or are not published, writing nothing', async () => {
  const out = fresh('none');
  mkdirSync(out);
  const base = ['create-update', '--repo', fx.repo, '--product', fx.product, '--trust-root', fx.root, '--out', join(out, 'b.tar')];
  assert.match((await ok([...base, '--from', '3', '--to', '3'], 1)).stderr, /must be above --from/);
  assert.match((await ok([...base, '--from', '1', '--to', '9'], 1)).stderr, /has no level 9/);
  assert.match((await ok([...base, '--from', '1'], 1)).stderr, /needs --from L1 and --to L2/);
  assert.equal(readdirSync(out), []);
});

test.run();
