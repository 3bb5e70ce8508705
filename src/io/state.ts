// The pack's own record under updates/: our state (state.json, a copy of the base manifest) and the two WSO2 files
// that WSO2's tool and scripts read (product.txt, the "update-level" key of config.json), kept true on every commit.
import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UpdateError } from '../core/errors.js';
import type { Manifest, PackState, Sha256 } from '../core/model.js';
import { sha256Hex } from '../core/canonical.js';
import { PRODUCT_PATTERN } from '../core/publish.js';
import { writeFileAtomic } from './atomic.js';
import type { FsOps } from './fsops.js';
import { parseJsonFile } from './validate.js';
import { scanJson } from '../core/json-scan.js';
import type { Pack } from './pack.js';

// Every record is read and written through the pack handle (io/pack.ts), which names where each one is.

/**
 * `--home` wins; else the parent of the current folder when that is a pack's bin/ (the WSO2 habit of running the
 * tool from <product-home>/bin); else the current folder.
 */
export function resolveHome(cwd: string | { cwd: string }, opt?: unknown): string {
  const dir = typeof cwd === 'string' ? cwd : cwd.cwd;
  if (opt !== undefined && opt !== null && opt !== '') {
    if (typeof opt !== 'string') throw new UpdateError('usage', `--home must be a folder path, got ${JSON.stringify(opt)}`);
    return resolve(dir, opt);
  }
  if (basename(dir) === 'bin' && existsSync(join(dirname(dir), 'updates', 'product.txt'))) return dirname(dir);
  return resolve(dir);
}

/**
 * The pack a program installed in its `bin/` belongs to (`<pack>/bin/wso2update_linux`, or a symlink there to a
 * checkout), else undefined: WSO2's tool in a pack's bin/ updates that pack from wherever it is run.
 */
export function ownPack(program: string): string | undefined {
  const bin = dirname(program);
  return basename(bin) === 'bin' && existsSync(join(dirname(bin), 'updates', 'product.txt')) ? dirname(bin) : undefined;
}

/** Reads go through the pack's FsOps: the applier's handle carries its own, so these reads count (and can fail) as its own. */
type Reads = Pick<FsOps, 'readFile'>;

async function readText(file: string, what: string, hint: string, reads: Reads): Promise<string> {
  return (await readBytes(file, what, hint, reads)).toString('utf8');
}

async function readBytes(file: string, what: string, hint: string, reads: Reads): Promise<Buffer> {
  try {
    return await reads.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UpdateError('not-found', `${what} not found: ${file}`, { hint, cause: err });
    throw new UpdateError('io', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** `updates/product.txt`: one line `<name>-<x.y.z>`. */
export async function readProduct(pack: Pack): Promise<string> {
  const file = pack.paths.product;
  if (!existsSync(file)) throw notAProductHome(pack.home);
  const text = (await readText(file, 'product identity', `Is ${pack.home} a WSO2 product home? Pass --home <product-home>.`, pack.ops)).trim();
  if (!PRODUCT_PATTERN.test(text)) {
    throw new UpdateError('invalid-input', `${file}: "${text.slice(0, 80)}" is not of the form <name>-<x.y.z> (e.g. wso2am-4.2.0)`, {
      hint: 'Restore updates/product.txt from the product distribution.',
    });
  }
  return text;
}

export function isAdopted(pack: Pack): boolean {
  return existsSync(pack.paths.state);
}

/** The refusal for a folder that is no WSO2 product home at all (a wrong --home, or run from the wrong folder). */
export const notAProductHome = (home: string): UpdateError =>
  new UpdateError('not-found', `${home} is not a WSO2 product home: it has no updates/product.txt`, {
    hint: 'Pass --home <product-home> (the folder with bin/, repository/ and updates/), or run from its bin/ folder.',
  });

/** Refuses a folder without updates/product.txt before a run writes anything there (its lock, its log). */
export function assertProductHome(pack: Pack): void {
  if (!existsSync(pack.paths.product)) throw notAProductHome(pack.home);
}

export async function readState(pack: Pack): Promise<PackState> {
  const file = pack.paths.state;
  if (!existsSync(file) && !existsSync(pack.paths.product)) throw notAProductHome(pack.home);
  const text = await readText(file, 'wso2update state', 'Adopt the pack first: `wso2update init --repo <repository>`.', pack.ops);
  return parseJsonFile<PackState>(text, file, 'state');
}

export async function writeState(pack: Pack, state: PackState): Promise<void> {
  await writeFileAtomic(pack.paths.state, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
}

const BASE_COPY = ['base manifest copy', 'Run `wso2update status --verify`, or init the pack again.'] as const;

export async function readBaseManifest(pack: Pack): Promise<Manifest> {
  const file = pack.paths.baseManifest;
  return parseJsonFile<Manifest>(await readText(file, ...BASE_COPY, pack.ops), file, 'manifest');
}

/**
 * The base manifest copy's bytes, checked as readBaseManifest checks them: a commit that keeps the pack's record
 * (reverting a waiting update) writes these back, so the copy stays byte-identical whichever form it was written in.
 */
export async function readBaseManifestCopy(pack: Pack): Promise<{ bytes: Buffer; sha256: Sha256 }> {
  const file = pack.paths.baseManifest;
  const bytes = await readBytes(file, ...BASE_COPY, pack.ops);
  parseJsonFile<Manifest>(bytes.toString('utf8'), file, 'manifest');
  return { bytes, sha256: sha256Hex(bytes) };
}

export async function writeBaseManifest(pack: Pack, manifest: Manifest): Promise<void> {
  await writeFileAtomic(pack.paths.baseManifest, `${JSON.stringify(manifest)}\n`, { mode: 0o644 });
}

/** "update-level" of updates/config.json as WSO2 writes it (a string; "-1" = never updated), or null if absent. */
export async function readUpdateLevel(pack: Pack): Promise<number | null> {
  if (!existsSync(pack.paths.config)) return null;
  const config = await readConfig(pack);
  const raw = config['update-level'];
  if (raw === undefined || raw === null || raw === '') return null;
  const s = String(raw).trim();
  if (!/^-?\d+$/.test(s)) {
    throw new UpdateError('invalid-input', `${pack.paths.config}: "update-level" is ${JSON.stringify(raw)}, not a whole number`, {
      hint: 'Pass the level explicitly with --level N.',
    });
  }
  const n = Number(s);
  return n < 0 ? null : n;
}

async function readConfig(pack: Pack): Promise<Record<string, unknown>> {
  const file = pack.paths.config;
  return parseConfig(await readText(file, 'WSO2 update config', '', pack.ops), file);
}

/**
 * WSO2's config.json as an object. Duplicate keys, depth and sizes are refused as in every JSON file (scanJson); a
 * syntax error is named by its position only, since V8's message quotes the text and config.json may hold credentials.
 */
export function parseConfig(text: string, file: string): Record<string, unknown> {
  const hint = 'Fix or remove updates/config.json (WSO2 recreates it); wso2update keeps only "update-level" true.';
  const problem = scanJson(text);
  if (problem !== null) throw new UpdateError('invalid-input', `${file}: ${problem.message} (at character ${problem.offset})`, { hint });
  try {
    const value = JSON.parse(text) as unknown;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('not a JSON object');
    return value as Record<string, unknown>;
  } catch (err) {
    const where = /position (\d+)/.exec((err as Error).message);
    throw new UpdateError('invalid-input', `${file} is not a JSON object${where ? ` (syntax error at character ${where[1]})` : ''}`, { hint, cause: err });
  }
}

/**
 * config.json's text with only "update-level" rewritten (as WSO2's string), every other key kept in its order; in
 * WSO2's shape when there was no file (`config` null). Shared by init and the commit, which reads through FsOps.
 */
export function configWithLevel(config: Record<string, unknown> | null, level: number, product: string): string {
  let out = config;
  if (out === null) {
    const [, name, version] = PRODUCT_PATTERN.exec(product) ?? [];
    out = {
      username: '', 'update-level': '', channel: 'full', environment: 'live', 'backup-dir': '',
      product: { pattern: product, name, version, backup: '', 'backup-size': 0 }, hotfixes: null,
    };
  }
  out['update-level'] = String(level);
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** Rewrites only "update-level" of updates/config.json (configWithLevel), creating the file if missing. */
export async function setUpdateLevel(pack: Pack, level: number, product: string): Promise<void> {
  const config = existsSync(pack.paths.config) ? await readConfig(pack) : null;
  await writeFileAtomic(pack.paths.config, configWithLevel(config, level, product), { mode: 0o644 });
}
