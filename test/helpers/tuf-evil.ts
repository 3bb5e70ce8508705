// Tools for the attack tests: copies of a signed repository, and TUF metadata re-signed with the publisher's
// real keys (or a foreign one) the way an attacker holding old files, or one key, could serve them.
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import { MetaFile, Metadata, MetadataKind, Signature, Snapshot, Targets, Timestamp } from '@tufjs/models';
import { sha256Hex } from '../../src/core/canonical.js';
import type { SigningKey } from '../../src/publish/keys.js';

export const md = (repo: string, name: string): Buffer => readFileSync(join(repo, 'metadata', name));
const json = (b: Buffer): never => JSON.parse(b.toString('utf8')) as never;

export function copyRepo(from: string, to: string): string {
  cpSync(from, to, { recursive: true });
  return to;
}

/** Every file under `dir` (name -> bytes): the trusted state before and after an attack must be equal. */
export function filesOf(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = sha256Hex(readFileSync(p));
    }
  };
  walk(dir);
  return out;
}

/** `m` signed by `key` alone, as the bytes a repository serves. */
export function sign(m: Metadata<Timestamp | Snapshot | Targets>, key: SigningKey): Buffer {
  m.signatures = {};
  m.sign((data) => new Signature({ keyID: key.keyId, sig: key.sign(data) }));
  return Buffer.from(JSON.stringify(m.toJSON()));
}

export const metaFile = (version: number, bytes: Buffer): MetaFile => new MetaFile({ version, length: bytes.length, hashes: { sha256: sha256Hex(bytes) } });

/** A timestamp of `version` naming `snapshotName` (a file in metadata/) as snapshot `snapshotVersion`, signed by `key`. */
export function timestampFor(repo: string, version: number, snapshotVersion: number, snapshotBytes: Buffer, key: SigningKey, expires = '2099-01-01T00:00:00Z'): void {
  const ts = new Metadata(new Timestamp({ version, specVersion: '1.0.31', expires, snapshotMeta: metaFile(snapshotVersion, snapshotBytes) }));
  writeFileSync(join(repo, 'metadata', 'timestamp.json'), sign(ts, key));
}

/** A snapshot `version` naming targets `targetsVersion` (whose bytes are given), written as `version.snapshot.json`. */
export function snapshotFor(repo: string, version: number, targetsVersion: number, targetsBytes: Buffer, key: SigningKey): Buffer {
  const s = new Metadata(new Snapshot({ version, specVersion: '1.0.31', expires: '2099-01-01T00:00:00Z', meta: { 'targets.json': metaFile(targetsVersion, targetsBytes) } }));
  const bytes = sign(s, key);
  writeFileSync(join(repo, 'metadata', `${version}.snapshot.json`), bytes);
  return bytes;
}

export const versionOf = (bytes: Buffer): number => (json(bytes) as { signed: { version: number } }).signed.version;
export const parseTimestamp = (bytes: Buffer) => Metadata.fromJSON(MetadataKind.Timestamp, json(bytes));

/** The trust folder's files (name -> bytes), to put back before the next attack (restoreTrust). */
export const trustFiles = (dir: string): Map<string, Buffer> => new Map(readdirSync(dir).map((n) => [n, readFileSync(join(dir, n))]));

export function restoreTrust(dir: string, files: Map<string, Buffer>): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
}

const KINDS = { timestamp: MetadataKind.Timestamp, snapshot: MetadataKind.Snapshot, targets: MetadataKind.Targets } as const;

/**
 * The TUF specification's rule for what a client keeps after a refusal: the same files (no delegations here), the
 * root as it was, each other role at the version `want` names (timestamp, snapshot, targets), and every file that
 * changed signed by the keys the root lists for its role: only verified metadata, never older than before.
 */
export function checkKept(dir: string, before: Map<string, Buffer>, want: [number, number, number], what: string): void {
  const now = trustFiles(dir);
  assert.equal([...now.keys()].sort(), [...before.keys()].sort(), `${what}: the trust folder holds other files`);
  assert.ok(now.get('root.json')!.equals(before.get('root.json')!), `${what}: root.json changed`);
  const root = Metadata.fromJSON(MetadataKind.Root, json(now.get('root.json')!));
  (['timestamp', 'snapshot', 'targets'] as const).forEach((role, i) => {
    const bytes = now.get(`${role}.json`)!;
    const kept = Metadata.fromJSON(KINDS[role], json(bytes));
    assert.is(kept.signed.version, want[i], `${what}: ${role} version kept`);
    assert.ok(kept.signed.version >= versionOf(before.get(`${role}.json`)!), `${what}: ${role} went back`);
    if (!bytes.equals(before.get(`${role}.json`)!)) root.verifyDelegate(role, kept);
  });
}
