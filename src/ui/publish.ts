// Renders the result of `publish`: one summary line for people on stderr (warnings after it), and the result as
// JSON on stdout with --json.
import type { Writable } from 'node:stream';
import type { PublishResult } from '../core/publish.js';
import { sizeText } from './size.js';

const mb = sizeText;

export function renderPublishSummary(r: PublishResult, seconds?: number): string {
  const took = seconds === undefined ? '' : ` in ${seconds.toFixed(1)} s`;
  if (r.unchanged) return `${r.product} level ${r.level} is already published with this content (${r.files} files); nothing to do`;
  const against = r.previousLevel === null ? 'first level' : `against level ${r.previousLevel}`;
  return `Published ${r.product} level ${r.level}: ${r.files} files (${against}: ${r.added} added, ${r.modified} modified, ${r.removed} removed); `
    + `${r.blobsStored} new blobs (${mb(r.bytesStored)}), ${r.blobsExisting} already stored${took}`;
}

export function writePublishResult(out: { stdout: Writable; stderr: Writable }, r: PublishResult, opts: { json: boolean; seconds?: number }): void {
  out.stderr.write(`${renderPublishSummary(r, opts.seconds)}\n`);
  for (const w of r.warnings) out.stderr.write(`Warning: ${w}\n`);
  if (opts.json) out.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
}
