// Every attack the update channel must refuse (issue 10), as mutations of a copy of a signed repository, shared by
// the folder test (trust-attacks) and the HTTP test (http-attacks: the same copies served by `serve` and nginx).
// The client trusts timestamp v5 / snapshot v4 / targets v4 (`fx.repo` after one --refresh-timestamp); `next` is the
// publisher's next legitimate state, v6 / v5 / v5 with level 3 added. Most attacks start from `next`. Each attack
// says which versions the client keeps afterwards: per the TUF specification every role that verified before the
// refusal (the rest stay as trusted), never anything unverified or older (checkKept).
import { appendFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildFixtures } from '../../scripts/build-fixtures.mjs';
import { sha256Hex } from '../../src/core/canonical.js';
import { loadKeys, newKey, type RoleName, type SigningKey } from '../../src/publish/keys.js';
import { hashedRel } from '../../src/core/layout.js';
import { signRepository } from '../../src/publish/sign.js';
import { copyRepo, md, snapshotFor, timestampFor } from './tuf-evil.js';
import { runCli } from './tmp.js';

export interface SignedFixtures {
  repo: string;
  keys: string;
  root: string;
  product: string;
  trees: Record<number, string>;
  notes: Record<number, string>;
}

export interface Attack {
  name: string;
  mutate: (evil: string) => Promise<void> | void;
  /** The reason (the first line of stderr after "Error: ") read from a folder... */
  reason: RegExp;
  /** ...and over HTTP, where the transport words a few of them differently (default: `reason`). */
  httpReason?: RegExp;
  /** Start from the trusted state (`fx.repo`) instead of `next`. */
  fromTrusted?: boolean;
  /** Timestamp, snapshot and targets versions kept after the refusal (default: the trusted 5, 4, 4). */
  keeps?: Versions;
}

export type Versions = [timestamp: number, snapshot: number, targets: number];
/** What the client trusts before each attack. */
export const TRUSTED_VERSIONS: Versions = [5, 4, 4];
/** `next`'s metadata, all verified before the index or a manifest or blob is refused. */
const NEXT: Versions = [6, 5, 5];

export interface AttackBench {
  fx: SignedFixtures;
  keys: Record<RoleName, SigningKey>;
  next: string;
  attacks: Attack[];
}

async function cli(args: string[]): Promise<void> {
  const r = await runCli(args);
  if (r.code !== 0) throw new Error(`wso2update ${args.join(' ')} exited ${r.code}\n${r.stderr}`);
}

/** Changes bytes in place, keeping the length (so only the hash can tell). */
function flip(file: string, from: RegExp, to: string): void {
  const text = readFileSync(file, 'utf8');
  const changed = text.replace(from, to);
  if (changed === text || changed.length !== text.length) throw new Error(`flip did nothing to ${file}`);
  writeFileSync(file, changed);
}

/** Builds the signed fixtures under `dir`, the trusted state (v5) and `next`, and the attacks on copies of them. */
export async function attackBench(dir: string): Promise<AttackBench> {
  const fx = buildFixtures(join(dir, 'fx')) as SignedFixtures;
  const keys = await loadKeys(fx.keys);
  const PRODUCT = fx.product;
  const oldTimestamp = md(fx.repo, 'timestamp.json'); // v4
  await cli(['publish', '--repo', fx.repo, '--keys', fx.keys, '--refresh-timestamp']); // v5
  const next = copyRepo(fx.repo, join(dir, 'next'));
  await cli(['publish', '--repo', next, '--product', PRODUCT, '--level', '3', '--tree', fx.trees[3], '--notes', fx.notes[3], '--keys', fx.keys]);

  const indexHashed = (repo: string) => join(repo, hashedRel('index.json', sha256Hex(readFileSync(join(repo, 'index.json')))));
  const levelFile = (repo: string, level: number, name: 'manifest.json' | 'descriptor.yaml') => {
    const rel = `products/${PRODUCT}/levels/${String(level).padStart(4, '0')}/${name}`;
    return join(repo, hashedRel(rel, sha256Hex(readFileSync(join(repo, rel)))));
  };
  const blobOf = (repo: string, path: string) => {
    const m = JSON.parse(readFileSync(join(repo, `products/${PRODUCT}/levels/0003/manifest.json`), 'utf8'));
    const sha = m.files[path].sha256 as string;
    return join(repo, 'blobs/sha256', sha.slice(0, 2), sha);
  };

  const attacks: Attack[] = [
    { name: 'tampered index', keeps: NEXT, mutate: (e) => {
      const text = readFileSync(indexHashed(e), 'utf8');
      const at = text.indexOf('"manifest": "') + '"manifest": "'.length;
      flip(indexHashed(e), new RegExp(`^([\\s\\S]{${at}}).`), `$1${text[at] === '0' ? '1' : '0'}`);
    }, reason: /index.*does not match its signed sha256/ },
    { name: 'tampered manifest', keeps: NEXT, mutate: (e) => flip(levelFile(e, 3, 'manifest.json'), /"mode":"0644"/, '"mode":"0600"'), reason: /manifest of .* level 3 .*does not match its signed sha256/ },
    { name: 'tampered descriptor', keeps: NEXT, mutate: (e) => flip(levelFile(e, 1, 'descriptor.yaml'), /Gateway/, 'Gatewax'), reason: /descriptor of .* level 1 .*does not match its signed sha256/ },
    { name: 'tampered blob', keeps: NEXT, mutate: (e) => {
      const blob = blobOf(e, 'repository/conf/deployment.toml');
      const bytes = readFileSync(blob);
      bytes[0] ^= 1; // same size: only the sha256 can tell
      writeFileSync(blob, bytes);
    }, reason: /blob [0-9a-f]{64} does not match its sha256/, httpReason: /blobs\/sha256\/[0-9a-f]{2}\/[0-9a-f]{64} from http:\/\/\S+ does not match its sha256/ },
    { name: 'tampered blob, longer than the manifest says', keeps: NEXT, mutate: (e) => appendFileSync(blobOf(e, 'repository/conf/deployment.toml'), 'x'.repeat(100_000)),
      reason: /blobs\/sha256\/.* is larger than allowed \(103494 bytes, at most \d+\)/, httpReason: /blobs\/sha256\/.* is larger than the \d+ bytes it may have \(content-length 103494\)/ },
    { name: 'rollback: an older timestamp', fromTrusted: true, mutate: (e) => writeFileSync(join(e, 'metadata/timestamp.json'), oldTimestamp), reason: /^rollback refused: New timestamp version 4 is less than current version 5/ },
    { name: 'rollback: a timestamp naming an older snapshot', mutate: (e) => timestampFor(e, 7, 3, md(e, '3.snapshot.json'), keys.timestamp), reason: /^rollback refused: New snapshot version 3 is less than current version 4/ },
    { name: 'rollback: a snapshot naming older targets', keeps: [7, 4, 4], mutate: (e) => {
      const snap = snapshotFor(e, 6, 3, md(e, '3.targets.json'), keys.snapshot);
      timestampFor(e, 7, 6, snap, keys.timestamp);
    }, reason: /^rollback refused: New version 3 of targets\.json is less than current version 4/ },
    { name: 'freeze: expired metadata', mutate: async (e) => {
      await cli(['publish', '--repo', e, '--keys', fx.keys, '--refresh-timestamp', '--timestamp-expiry', '1s']);
      await sleep(2100);
    }, reason: /^expired signed metadata .*timestamp\.json is expired/ },
    { name: 'mix-and-match: the snapshot names other targets', keeps: [6, 5, 4], mutate: (e) => writeFileSync(join(e, 'metadata/5.targets.json'), md(e, '4.targets.json')), reason: /^signed metadata does not match the length or hash its parent names/ },
    { name: 'a signature by a key the root does not list', mutate: (e) => timestampFor(e, 7, 5, md(e, '5.snapshot.json'), newKey('timestamp')), reason: /^signature check failed .*timestamp was signed by 0\/1 keys/ },
    { name: 'endless data: a timestamp larger than any allowed', mutate: (e) => appendFileSync(join(e, 'metadata/timestamp.json'), ' '.repeat(20_000)), reason: /timestamp\.json is larger than allowed \(\d+ bytes, at most 16384\)/, httpReason: /metadata\/timestamp\.json is larger than the 16384 bytes it may have \(content-length 2\d{4}\)/ },
    { name: 'endless data: a snapshot larger than its signed length', keeps: [6, 4, 4], mutate: (e) => appendFileSync(join(e, 'metadata/5.snapshot.json'), ' '), reason: /5\.snapshot\.json is larger than allowed/, httpReason: /metadata\/5\.snapshot\.json is larger than the \d+ bytes it may have \(content-length \d+\)/ },
    { name: 'endless data: a manifest larger than its signed length', keeps: NEXT, mutate: (e) => appendFileSync(levelFile(e, 3, 'manifest.json'), 'x'.repeat(1 << 20)), reason: /manifest\.json is larger than allowed/, httpReason: /levels\/0003\/[0-9a-f]{64}\.manifest\.json is larger than the \d+ bytes it may have \(content-length \d+\)/ },
    { name: 'a signed manifest naming another level than asked', keeps: [7, 6, 6], mutate: async (e) => {
      // The publisher's own keys sign it: only the level check in the repository can tell.
      const rel = (l: number, f: string) => join(e, `products/${PRODUCT}/levels/000${l}/${f}`);
      const index = JSON.parse(readFileSync(join(e, 'index.json'), 'utf8'));
      rmSync(rel(3, 'manifest.json'));
      cpSync(rel(2, 'manifest.json'), rel(3, 'manifest.json'));
      index.products[PRODUCT].levels['3'].manifest = index.products[PRODUCT].levels['2'].manifest;
      writeFileSync(join(e, 'index.json'), JSON.stringify(index, null, 2));
      await signRepository(e, keys, { now: new Date() });
    }, reason: /describes wso2am-4\.2\.0 level 2, not wso2am-4\.2\.0 level 3/ },
    { name: 'an unsigned repository', mutate: (e) => rmSync(join(e, 'metadata'), { recursive: true }), reason: /^the repository is not signed: it has no metadata\/timestamp\.json/ },
  ];
  return { fx, keys, next, attacks };
}
