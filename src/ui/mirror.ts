// What `mirror` prints: from where to where, signed or not (said loudly when not), the levels per product, what was
// copied and what was there already; the whole result as JSON on stdout with --json.
import { jsonIf, type Output } from './output.js';

export interface MirrorView { from: string; to: string; signed: boolean; products: Record<string, number[]>; blobsCopied: number; blobsPresent: number; bytesCopied: number }

export function renderMirrored<R extends MirrorView>(r: R, seconds: number, json: boolean): Output {
  const levels = Object.entries(r.products).map(([p, ls]) => `${p} levels ${ls.join(', ') || '(none)'}`).join('; ');
  return {
    stderr: `Mirrored ${r.from} to ${r.to} (${r.signed ? 'signed: TUF metadata copied as published and the copy verified' : 'UNSIGNED'}): ${levels}; `
      + `${r.blobsCopied} blobs copied (${(r.bytesCopied / 1048576).toFixed(1)} MB), ${r.blobsPresent} already there, in ${seconds.toFixed(1)} s\n`,
    stdout: jsonIf(json, () => r),
  };
}
