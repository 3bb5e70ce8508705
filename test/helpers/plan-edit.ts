// What the tests that hand-edit plans share: a pack snapshot that leaves out the tool's lock, blob cache and logs
// (the cache planning fills holds repository blobs, not pack state), a sha256, a stable action order, and the
// `before` of a file as a plan records it.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Action } from '../../src/core/model.js';
import { snapshot, type Fixture } from './pack.js';

export const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r === 'updates/wso2update/cache' || r.startsWith('updates/logs'));
export const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');
export const byPath = (a: Action, b: Action) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

export function fileOf(f: Fixture, rel: string) {
  const bytes = readFileSync(join(f.home, rel));
  return { kind: 'file' as const, sha256: sha(bytes), size: bytes.length, mode: '0644' };
}
