// What self-update prints: one line when the tool updated itself (WSO2's tool says the same and exits 2; Ansible
// and CI re-run on it), one when the check could not be made, and the `self-update` command's result.
import { jsonIf, type Output } from './output.js';

// Always in MB with one decimal (unlike ui/size.ts): scripts that re-run on this line have matched it since issue 16.
const mb = (n: number): string => `${(n / 1_048_576).toFixed(1)} MB`;

export interface SelfUpdateLine { from: string; to: string; kind: 'code' | 'executable'; bytes: number }
/** As selfupdate/update.ts returns it: the line's facts and the file that was replaced. */
export interface SelfUpdateResult extends SelfUpdateLine { file: string }

export const selfUpdatedLine = (r: SelfUpdateLine): string =>
  `wso2update updated itself from ${r.from} to ${r.to} (${r.kind === 'code' ? 'code bundle' : 'executable'}, ${mb(r.bytes)}); run the same command again\n`;

export const selfUpdateSkippedLine = (why: string): string =>
  `Warning: could not check for a newer wso2update (${why}); going on with this one. Offline, pass --no-self-update (or set WSO2UPDATE_NO_SELF_UPDATE=1) to skip the check.\n`;

/** `self-update`: updated (r), or already the newest release (`version`, the running one). */
export function renderSelfUpdate(r: SelfUpdateResult | null, version: string, json: boolean): Output {
  return {
    stdout: jsonIf(json, () => (r ? { updated: true, ...r } : { updated: false, version })),
    stderr: r ? selfUpdatedLine(r) : `wso2update ${version} is the newest release on this pack's channel\n`,
  };
}
