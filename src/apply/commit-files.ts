// The commit's own files, made into ordinary items so that the journal swaps them like pack files: state.json,
// the base manifest copy, "update-level" in config.json, generation.json and the changelog. Rollback then restores
// them exactly, and the commit point is the single unlink of the journal.
import { join } from 'node:path';
import { changelogName, renderChangelog } from '../core/changelog.js';
import { sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import type { Observed } from '../core/model.js';
import type { Pack } from '../io/pack.js';
import { MANIFEST_REL, STATE_REL } from '../io/generations.js';
import { configWithLevel, parseConfig } from '../io/state.js';
import { observe } from '../io/tree.js';
import type { CommitInput, Item } from './job.js';

const CONFIG = 'updates/config.json';
export const generationRel = (id: string): string => `updates/wso2update/generations/${id}/generation.json`;

/** The record file now (observed like any pack path); the tool's records are regular files or absent. */
async function observed({ home, ops }: Pack, rel: string): Promise<Observed> {
  const o = await observe(home, rel, undefined, ops);
  if (o.kind !== 'file' && o.kind !== 'absent') throw new UpdateError('io', `${join(home, rel)} is not a regular file`, { hint: 'Restore it as a file and run again.' });
  return o;
}

/** "update-level" rewritten as WSO2 writes it (a string), every other key kept in its order. */
async function configText({ home, ops }: Pack, c: CommitInput): Promise<string> {
  const abs = join(home, CONFIG);
  let config: Record<string, unknown> | null = null;
  if ((await ops.lstat(abs)) !== null) {
    const text = (await ops.readFile(abs)).toString('utf8');
    config = parseConfig(text, abs);
  }
  return configWithLevel(config, c.state.level, c.state.product);
}

export async function commitItems(pack: Pack, c: CommitInput): Promise<Item[]> {
  const file = (text: string) => { const bytes = Buffer.from(text, 'utf8'); return { bytes, sha256: sha256Hex(bytes) }; };
  const files: [string, { bytes: Buffer; sha256: string }][] = [
    [STATE_REL, file(`${JSON.stringify(c.state, null, 2)}\n`)],
    [MANIFEST_REL, 'bytes' in c.manifest ? c.manifest : file(`${JSON.stringify(c.manifest.manifest)}\n`)],
    [CONFIG, file(await configText(pack, c))],
    [generationRel(c.generation.id), file(`${JSON.stringify(c.generation, null, 2)}\n`)],
  ];
  if (c.changelog) {
    const g = c.generation;
    files.push([changelogName(g.fromLevel, g.toLevel), file(renderChangelog({ product: g.product, fromLevel: g.fromLevel, toLevel: g.toLevel, ...c.changelog }))]);
  }
  const items: Item[] = [];
  for (const [path, { bytes, sha256 }] of files) {
    const before = await observed(pack, path);
    const after: Observed = { kind: 'file', sha256, size: bytes.length, mode: '0644' };
    // A record that stays as it is (reverting a waiting update without drift leaves state, manifest and config) is
    // not rewritten: the pack ends byte-identical.
    if (before.kind === 'file' && before.sha256 === after.sha256 && before.mode === after.mode) continue;
    items.push({ path, before, after, source: { kind: 'text', text: bytes, mode: '0644' } });
  }
  return items;
}
