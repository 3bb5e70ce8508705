// What the commands that write an archive for an air-gapped site print: `create-update` (an update bundle) and
// `create-hotfix` (a hotfix archive): where it went, what it holds, its sha256 to compare after copying, and the
// result as JSON on stdout with --json.
import type { BundleInfo } from '../core/model.js';
import { jsonIf, type Output } from './output.js';

/** An archive as the writer reports it. */
export interface WrittenView { entries: number; bytes: number; sha256: string }

export interface UpdateBundleView extends WrittenView {
  out: string;
  /** As typed: the apply-update command line the operator is shown uses it. */
  outAsGiven: string;
  product: string; from: number; to: number; seconds: number;
  info: BundleInfo;
}

export function renderUpdateBundle(r: UpdateBundleView, prog: string, json: boolean): Output {
  return {
    stderr: `Wrote ${r.out}: ${r.product} levels ${r.info.levels.join(', ')} (from ${r.from} to ${r.to}), ${r.info.blobs} blobs (${(r.info.blobBytes / 1048576).toFixed(1)} MB), `
      + `${r.entries} entries, ${r.bytes} bytes, in ${r.seconds.toFixed(1)} s\n  sha256 ${r.sha256}  (compare it after copying; apply with: ${prog} apply-update ${r.outAsGiven})\n`,
    stdout: jsonIf(json, () => ({ out: r.out, sha256: r.sha256, bytes: r.bytes, entries: r.entries, ...r.info })),
  };
}

export interface HotfixArchiveView extends WrittenView { out: string; level: number; blobs: number }

export function renderHotfixArchive<R extends HotfixArchiveView>(r: R, id: string, product: string, json: boolean): Output {
  return {
    stderr: `Wrote ${r.out}: hotfix ${id} of ${product} level ${r.level}, ${r.entries} entries (${r.blobs} blobs), ${r.bytes} bytes, sha256 ${r.sha256}\n`,
    stdout: jsonIf(json, () => ({ ...r, id, product })),
  };
}
