// What the vendor-side commands print: `publish` (one summary line, warnings after it), `publish --refresh-timestamp`,
// `publish-hotfix` and `publish-tool`, each with the signing line when the repository was signed, and the result
// as JSON on stdout with --json. The results' types live beside the code that makes them (publish/); the views
// here name only what is shown, so that ui/ imports core alone.
import type { PublishResult } from '../core/publish.js';
import { jsonIf, type Output } from './output.js';
import { sizeText } from './size.js';

const mb = sizeText;

/** What signing a repository reports. */
export interface Signed { targets: number; version: number }

export function renderPublishSummary(r: PublishResult, seconds?: number): string {
  const took = seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`;
  if (r.unchanged) return `${r.product} level ${r.level} is already published with this content (${r.files} files); nothing to do`;
  const against = r.previousLevel === null ? 'first level' : `against level ${r.previousLevel}`;
  return `Published ${r.product} level ${r.level}: ${r.files} files (${against}: ${r.added} added, ${r.modified} modified, ${r.removed} removed); `
    + `${r.blobsStored} new blobs (${mb(r.bytesStored)}), ${r.blobsExisting} already stored${took}`;
}

/** `publish`: the summary, its warnings, and what was signed (a level's targets: the index, manifests and descriptors). */
export function renderPublished(r: PublishResult & { signed?: Signed }, opts: { json: boolean; seconds?: number }): Output {
  const lines = [renderPublishSummary(r, opts.seconds), ...r.warnings.map((w) => `Warning: ${w}`)];
  if (r.signed) lines.push(`Signed: ${r.signed.targets} targets (index, manifests, descriptors), timestamp version ${r.signed.version}`);
  return { stderr: `${lines.join('\n')}\n`, stdout: jsonIf(opts.json, () => r) };
}

/** `publish --refresh-timestamp`: the cron job's one line. */
export function renderTimestampRefreshed(repository: string, timestamp: { version: number; expires: string }, json: boolean): Output {
  return {
    stderr: `Re-signed ${repository}/metadata/timestamp.json: version ${timestamp.version}, expires ${timestamp.expires}\n`,
    stdout: jsonIf(json, () => ({ repository, timestamp })),
  };
}

export interface HotfixPublishedView {
  id: string; product: string; level: number; replaced: string[]; added: string[]; removed: string[];
  blobsStored: number; unchangedInTree: number; unchanged: boolean;
}

const signedLine = (s: Signed | undefined): string => (s ? `Signed: ${s.targets} targets, timestamp version ${s.version}\n` : '');

/** `publish-hotfix`: what the record holds (or that it was there already), and the whole result with --json. */
export function renderHotfixPublished<R extends HotfixPublishedView>(r: R, signed: Signed | undefined, json: boolean): Output {
  const left = r.unchangedInTree ? ` (${r.unchangedInTree} files of the tree are as the level ships them and were left out)` : '';
  const said = r.unchanged
    ? `Hotfix ${r.id} is already published with this content; nothing to do.\n`
    : `Published hotfix ${r.id} for ${r.product} level ${r.level}: ${r.replaced.length} replaced, ${r.added.length} added, ${r.removed.length} removed; ${r.blobsStored} new blobs${left}\n`;
  return { stderr: said + signedLine(signed), stdout: jsonIf(json, () => (signed ? { ...r, signed } : r)) };
}

export interface ToolPublishedView { repository: string; version: string; previous: string | null; runtime: string; files: Record<string, unknown> }

/** `publish-tool`: the release's files, the release it follows, and the signing. */
export function renderToolPublished(r: ToolPublishedView, signed: Signed, json: boolean): Output {
  return {
    stderr: `Published wso2update ${r.version}${r.previous ? ` (after ${r.previous})` : ''} to ${r.repository}: ${Object.keys(r.files).join(', ')}\n${signedLine(signed)}`,
    stdout: jsonIf(json, () => r),
  };
}
