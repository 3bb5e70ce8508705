// The pure half of `publish`: the product-name rule, a level's changes against the level before it, the descriptor
// and the result that ui/ renders. publish/level.ts does the scanning and writing around these.
import { UpdateError } from './errors.js';
import { canonicalJson } from './canonical.js';
import type { Descriptor, Entry, Fix, Advisory } from './model.js';

/** WSO2's rule for updates/product.txt. */
export const PRODUCT_PATTERN = /^([0-9a-zA-Z-]+)-([0-9]+\.[0-9]+\.[0-9]+)$/;

export function assertProductName(product: string): void {
  if (!PRODUCT_PATTERN.test(product)) {
    throw new UpdateError('usage', `--product must be <name>-<x.y.z>, got ${JSON.stringify(product)}`, {
      hint: 'Use the line of the pack\'s updates/product.txt, e.g. --product wso2am-4.2.0.',
    });
  }
}

/** Added, modified (content, mode, kind or link text) and removed paths, each sorted (the inputs' keys are). */
export function changesBetween(prev: Record<string, Entry> | null, next: Record<string, Entry>): Descriptor['changes'] {
  const before = prev ?? {};
  const added: string[] = [];
  const modified: string[] = [];
  for (const [p, e] of Object.entries(next)) {
    const old = before[p];
    if (old === undefined) added.push(p);
    else if (canonicalJson(old) !== canonicalJson(e)) modified.push(p);
  }
  const removed = Object.keys(before).filter((p) => next[p] === undefined);
  return { added, modified, removed };
}

export interface NotesInput {
  title?: string;
  description?: string;
  fixes?: Fix[];
  securityAdvisories?: Advisory[];
}

export function buildDescriptor(product: string, level: number, date: string, notes: NotesInput, changes: Descriptor['changes']): Descriptor {
  return {
    level,
    date,
    title: notes.title ?? `${product} level ${level}`,
    description: notes.description ?? '',
    fixes: notes.fixes ?? [],
    securityAdvisories: notes.securityAdvisories ?? [],
    changes,
  };
}

export interface PublishResult {
  repository: string;
  product: string;
  level: number;
  /** The level the changes are counted against (null: the first published level). */
  previousLevel: number | null;
  /** True when the level was already published with this very content: nothing was written. */
  unchanged: boolean;
  files: number;
  added: number;
  modified: number;
  removed: number;
  blobsStored: number;
  blobsExisting: number;
  bytesStored: number;
  /** sha256 of manifest.json (canonical JSON, so also its digest) and of descriptor.yaml. */
  manifest: string;
  descriptor: string;
  warnings: string[];
  /** With --keys: the new timestamp version and how many targets (index, manifests, descriptors) are signed. */
  signed?: { version: number; targets: number };
}
