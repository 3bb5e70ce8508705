// The one line a self-update prints (WSO2's tool says the same and exits 2; Ansible and CI re-run on it).
export interface SelfUpdateLine { from: string; to: string; kind: 'code' | 'executable'; bytes: number }

const mb = (n: number): string => `${(n / 1_048_576).toFixed(1)} MB`;

export const selfUpdatedLine = (r: SelfUpdateLine): string =>
  `wso2update updated itself from ${r.from} to ${r.to} (${r.kind === 'code' ? 'code bundle' : 'executable'}, ${mb(r.bytes)}); run the same command again\n`;

export const selfUpdateSkippedLine = (why: string): string =>
  `Warning: could not check for a newer wso2update (${why}); going on with this one. Offline, pass --no-self-update (or set WSO2UPDATE_NO_SELF_UPDATE=1) to skip the check.\n`;
