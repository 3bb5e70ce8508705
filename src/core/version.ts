// The tool version written into plans; plans from another format version are refused, not this one.
export const TOOL_VERSION = '0.1.0';
/**
 * The merge engine's identity, recorded in every plan (issue 7): apply recomputes each merge and refuses a plan whose
 * engine differs ("plan again"), since another engine may align the same edits differently. Bump on any change to
 * the merge engine's output.
 */
export const MERGE_ENGINE = 'node-diff3-3.2.1-1';

/** Orders dotted release versions (`0.1.10` after `0.1.9`); a part that is not a number sorts as 0. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split('.').map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}
