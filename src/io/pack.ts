// The pack handle: one installed product pack as every command sees it, made once per command (openPack) and passed
// down, instead of a `home` string and an `FsOps` threaded separately through every signature. It carries the
// pack's root, the file-system operations every change to it goes through, and where the tool keeps its own records
// (updates/wso2update/...), so the layout of those records is written here once.
import { join } from 'node:path';
import { realFs, type FsOps } from './fsops.js';

/** Where the tool keeps its own records inside a pack: all under `updates/` (WSO2's folder), never elsewhere. */
export interface PackPaths {
  /** updates/wso2update: the tool's own folder. */
  readonly own: string;
  /** state.json: product, level, channel, trust, policy. */
  readonly state: string;
  /** manifest.json: the manifest of the level the pack is at (the base of the next plan). */
  readonly baseManifest: string;
  /** journal.json: exists only while a run is pending (io/pending-run.ts). */
  readonly journal: string;
  /** lock: one updater at a time (io/lock.ts). */
  readonly lock: string;
  /** staging/: new content written before the swap, on the pack's file system. */
  readonly staging: string;
  /** generations/<id>/: what each apply moved aside, for revert. */
  readonly generations: string;
  /** cache/: blobs fetched while planning, by sha256. */
  readonly cache: string;
  /** trust/: the pack's pinned and refreshed TUF metadata. */
  readonly trust: string;
  /** updates/logs: WSO2's daily log folder. */
  readonly logs: string;
  /** updates/product.txt: WSO2's product identity (<name>-<x.y.z>); a pack without it is no product home. */
  readonly product: string;
  /** updates/config.json: WSO2's update config, of which the tool keeps only "update-level" true. */
  readonly config: string;
}

export interface Pack {
  /** The product home, absolute. */
  readonly home: string;
  /** Every file-system operation on the pack (tests inject faults here; apply guards writes to stay inside). */
  readonly ops: FsOps;
  readonly paths: PackPaths;
}

export function packPaths(home: string): PackPaths {
  const own = join(home, 'updates', 'wso2update');
  return {
    own,
    state: join(own, 'state.json'),
    baseManifest: join(own, 'manifest.json'),
    journal: join(own, 'journal.json'),
    lock: join(own, 'lock'),
    staging: join(own, 'staging'),
    generations: join(own, 'generations'),
    cache: join(own, 'cache'),
    trust: join(own, 'trust'),
    logs: join(home, 'updates', 'logs'),
    product: join(home, 'updates', 'product.txt'),
    config: join(home, 'updates', 'config.json'),
  };
}

/** The handle of the pack at `home` (already resolved and checked by the caller: see io/state.ts resolveHome). */
export function openPack(home: string, ops: FsOps = realFs): Pack {
  return { home, ops, paths: packPaths(home) };
}

/** The same pack seen through other file-system operations (apply's guarded ops, a test's faulty ones). */
export const withOps = (pack: Pack, ops: FsOps): Pack => ({ ...pack, ops });
