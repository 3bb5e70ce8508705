// A TUF repository simulated in memory for the conformance tests (issue 20), laid out as the TUF specification
// says: metadata/N.ROLE.json (ROLE URL-encoded), metadata/timestamp.json, targets/HASH.PATH (or ROLE.json and PATH
// without consistent snapshots). Roles are made with @tufjs/models and signed with ed25519 keys; every published
// version is kept; it is served on 127.0.0.1 and records each request path as it arrived (still encoded).
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Key, MetaFile, Metadata, Root, Signature, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';
import { Delegations } from '@tufjs/models/dist/delegations.js';
import { DelegatedRole } from '@tufjs/models/dist/role.js';
import { newKey, type SigningKey } from '../../src/publish/keys.js';

const EXPIRES = '2099-01-01T00:00:00Z';
export const tufKey = (k: SigningKey): Key => new Key({ keyID: k.keyId, keyType: 'ed25519', scheme: 'ed25519', keyVal: k.public.keyval });
type AnyMd = Metadata<Root | Targets | Snapshot | Timestamp>;

export class TufSim {
  readonly mds = new Map<string, AnyMd>();
  readonly signers = new Map<string, SigningKey[]>();
  readonly published = new Map<string, Buffer[]>();
  /** Target path -> bytes served under targets/. */
  readonly artifacts = new Map<string, Buffer>();
  /** Request paths below the test's base, as sent (percent-encoding kept). */
  readonly requests: string[] = [];
  /** Answer 404 for these request paths (relative to the base, e.g. `metadata/2.snapshot.json`). */
  readonly missing = new Set<string>();
  /** Answer 403 for these request paths (an S3 bucket without list permission answers 403 for a missing key). */
  readonly forbidden = new Set<string>();
  /** Serve these bytes for these request paths instead (an attacker's answer). */
  readonly forged = new Map<string, Buffer>();
  url = '';
  private stopServer: () => Promise<void> = async () => undefined;

  constructor(opts: { consistent?: boolean } = {}) {
    const root = new Root({ version: 1, specVersion: '1.0.31', expires: EXPIRES, consistentSnapshot: opts.consistent ?? true });
    for (const role of ['root', 'timestamp', 'snapshot', 'targets'] as const) {
      const k = newKey(role);
      root.addKey(tufKey(k), role);
      this.signers.set(role, [k]);
    }
    this.mds.set('root', new Metadata(root));
    this.mds.set('targets', new Metadata(new Targets({ version: 1, specVersion: '1.0.31', expires: EXPIRES })));
    this.mds.set('snapshot', new Metadata(new Snapshot({ version: 1, specVersion: '1.0.31', expires: EXPIRES })));
    this.mds.set('timestamp', new Metadata(new Timestamp({ version: 1, specVersion: '1.0.31', expires: EXPIRES, snapshotMeta: new MetaFile({ version: 1 }) })));
    this.publish(['targets', 'snapshot', 'timestamp', 'root']);
  }

  signed<T extends AnyMd['signed']>(role: string): T {
    const md = this.mds.get(role);
    if (!md) throw new Error(`no role ${role}`);
    return md.signed as T;
  }

  /** Signs and publishes `roles` in order (a role already published gets its version bumped first). */
  publish(roles: string[]): void {
    for (const role of roles) {
      const md = this.mds.get(role)!;
      const versions = this.published.get(role) ?? [];
      if (versions.length > 0) md.signed.version = versions.length + 1;
      md.signatures = {};
      for (const k of this.signers.get(role) ?? []) md.sign((data) => new Signature({ keyID: k.keyId, sig: k.sign(data) }), true);
      const bytes = Buffer.from(JSON.stringify(md.toJSON()));
      this.published.set(role, [...versions, bytes]);
      if (!['root', 'timestamp', 'snapshot'].includes(role)) this.signed<Snapshot>('snapshot').meta[`${role}.json`] = new MetaFile({ version: md.signed.version });
      if (role === 'snapshot') this.signed<Timestamp>('timestamp').snapshotMeta = new MetaFile({ version: md.signed.version });
    }
  }

  /** `delegator` delegates `name` for `paths` to `keys` (default: one new key); `name` starts as empty targets. */
  delegate(delegator: string, name: string, paths: string[], keys: SigningKey[] = [newKey('targets')], terminating = false): SigningKey[] {
    const t = this.signed<Targets>(delegator);
    t.delegations ??= new Delegations({ keys: {}, roles: {} });
    for (const k of keys) t.delegations.keys[k.keyId] = tufKey(k);
    t.delegations.roles![name] = new DelegatedRole({ name, keyIDs: keys.map((k) => k.keyId), threshold: 1, terminating, paths });
    if (!this.mds.has(name)) {
      this.mds.set(name, new Metadata(new Targets({ version: 1, specVersion: '1.0.31', expires: EXPIRES })));
      this.signers.set(name, keys);
    }
    return keys;
  }

  /** Adds an artifact to `role`, listed with the hashes of `algorithms` in that order. */
  addTarget(role: string, path: string, bytes: Buffer, algorithms = ['sha256']): void {
    const hashes = Object.fromEntries(algorithms.map((a) => [a, createHash(a).update(bytes).digest('hex')]));
    this.signed<Targets>(role).targets[path] = new TargetFile({ length: bytes.length, path, hashes });
    this.artifacts.set(path, bytes);
  }

  version(role: string, v: number): Buffer {
    return this.published.get(role)![v - 1];
  }

  private answer(path: string): Buffer | null {
    const consistent = this.signed<Root>('root').consistentSnapshot;
    const meta = /^metadata\/(.+)\.json$/.exec(path);
    if (meta) {
      const m = /^(\d+)\.(.+)$/.exec(meta[1]);
      const versioned = m && (consistent || m[2] === 'root');
      const role = decodeURIComponent(versioned ? m[2] : meta[1]);
      const all = this.published.get(role);
      if (!all || (role === 'timestamp' && versioned)) return null;
      return versioned ? all[Number(m[1]) - 1] ?? null : all.at(-1)!;
    }
    const target = /^(?:targets\/)?(.*?)([^/]*)$/.exec(path); // targets/ (the suite's layout) or beside metadata/ (ours)
    if (!target) return null;
    const [, dir, name] = target;
    const dot = name.indexOf('.');
    const wanted = consistent ? `${dir}${name.slice(dot + 1)}` : `${dir}${name}`;
    const bytes = this.artifacts.get(decodeURIComponent(wanted));
    if (!bytes) return null;
    const hashes = Object.values(this.signedTargetHashes(decodeURIComponent(wanted)));
    return !consistent || hashes.includes(name.slice(0, dot)) ? bytes : null;
  }

  private signedTargetHashes(path: string): Record<string, string> {
    for (const md of this.mds.values()) {
      const t = (md.signed as Targets).targets?.[path];
      if (t) return t.hashes;
    }
    return {};
  }

  /** Serves the repository at `${url}/metadata/` and `${url}/targets/`, under a base that needs encoding itself. */
  async serve(): Promise<void> {
    const base = '/test%5Bsim%5D/';
    const server = createServer((req, res) => {
      const raw = req.url ?? '';
      const path = raw.startsWith(base) ? raw.slice(base.length) : null;
      if (path !== null) this.requests.push(path);
      const body = path === null || this.missing.has(path) ? null : this.forged.get(path) ?? this.answer(path);
      if (path !== null && this.forbidden.has(path)) {
        res.writeHead(403).end();
        return;
      }
      if (body === null) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}${base.slice(0, -1)}`;
    this.stopServer = () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); });
  }

  stop(): Promise<void> {
    return this.stopServer();
  }
}

/** A simulated repository served on 127.0.0.1 for the length of `run`: `setup` adds to it before it serves. */
export async function withSim(run: (sim: TufSim) => Promise<void>, setup: (sim: TufSim) => void = () => undefined, consistent = true): Promise<void> {
  const sim = new TufSim({ consistent });
  setup(sim);
  await sim.serve();
  try {
    await run(sim);
  } finally {
    await sim.stop();
  }
}

/**
 * A diamond: targets delegates to A and B; both delegate role C, A with key K1 for x/*, B with key K2 for y/*. C is
 * signed by K1 only and lists x/ok and y/forged: the holder of K1 may publish x/*, never y/* (B gave y/* to K2).
 */
export function diamond(sim: TufSim): void {
  sim.delegate('targets', 'A', ['*/*']);
  sim.delegate('targets', 'B', ['*/*']);
  const [k1] = sim.delegate('A', 'C', ['x/*']);
  sim.delegate('B', 'C', ['y/*'], [newKey('targets')]);
  sim.signers.set('C', [k1]);
  sim.addTarget('C', 'x/ok', Buffer.from('ok\n'));
  sim.addTarget('C', 'y/forged', Buffer.from('forged\n'));
  sim.publish(['C', 'A', 'B', 'targets', 'snapshot', 'timestamp']);
}
