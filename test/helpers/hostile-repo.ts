// Tampering with a published level as a hostile repository would: the manifest or descriptor rewritten and the
// index's sha256 updated to match, so that every check but the ones under test passes.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson } from '../../src/core/canonical.js';
import type { Manifest } from '../../src/core/model.js';
import { PRODUCT } from './pack.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const levelDir = (repo: string, level: number) => join(repo, 'products', PRODUCT, 'levels', String(level).padStart(4, '0'));

function setIndex(repo: string, level: number, key: 'manifest' | 'descriptor', text: string): void {
  const file = join(repo, 'index.json');
  const index = JSON.parse(readFileSync(file, 'utf8'));
  index.products[PRODUCT].levels[String(level)][key] = sha(text);
  writeFileSync(file, JSON.stringify(index));
}

export function readManifest(repo: string, level: number): Manifest {
  return JSON.parse(readFileSync(join(levelDir(repo, level), 'manifest.json'), 'utf8')) as Manifest;
}

/** Rewrites level `level`'s manifest: `edit` changes it in place, or returns raw text to store as it is. */
export function tamperManifest(repo: string, level: number, edit: (m: Manifest) => void | string): void {
  const m = readManifest(repo, level);
  const raw = edit(m);
  const text = typeof raw === 'string' ? raw : canonicalJson(m);
  writeFileSync(join(levelDir(repo, level), 'manifest.json'), text);
  setIndex(repo, level, 'manifest', text);
}

export function tamperDescriptor(repo: string, level: number, text: string): void {
  writeFileSync(join(levelDir(repo, level), 'descriptor.yaml'), text);
  setIndex(repo, level, 'descriptor', text);
}

export const blobFile = (repo: string, sha256: string) => join(repo, 'blobs', 'sha256', sha256.slice(0, 2), sha256);
