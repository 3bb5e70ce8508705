// The format of a code bundle (`wso2update.code`): one header line naming the tool version, the launcher contract it
// needs and the sha256 of the JavaScript below it, then that CommonJS script. The launcher embedded in the single
// executable runs it; self-update writes a newer one beside the executable instead of a whole new Node runtime.
import { compareVersions } from './version.js';

export const CODE_FILE = 'wso2update.code';
/** Bumped whenever what the launcher hands the code (or expects of it) changes: code for another ABI is not run. */
export const LAUNCHER_ABI = 1;

/** The runtime a release's code bundle needs: the Node version and launcher contract of the executable that runs it. */
export const runtimeId = (nodeVersion: string, abi: number = LAUNCHER_ABI): string => `node${nodeVersion.replace(/^v/, '')}-abi${abi}`;

export interface CodeHeader { version: string; abi: number; sha256: string; body: Buffer }

const HEADER = /^\/\/ wso2update-code version=([0-9][0-9A-Za-z.+-]*) abi=(\d+) sha256=([0-9a-f]{64})\n/;

export const codeHeaderLine = (version: string, sha256: string): string => `// wso2update-code version=${version} abi=${LAUNCHER_ABI} sha256=${sha256}\n`;

/** The header and body of a code bundle, or a reason it is not one (hashing is the caller's: core does no I/O). */
export function parseCodeBundle(bytes: Buffer): CodeHeader | string {
  const head = bytes.subarray(0, 200).toString('latin1');
  const m = HEADER.exec(head);
  if (!m) return 'it does not start with a wso2update-code header';
  return { version: m[1], abi: Number(m[2]), sha256: m[3], body: bytes.subarray(Buffer.byteLength(m[0], 'latin1')) };
}

/** Whether a bundle found beside the executable should run instead of the embedded one. */
export function preferBeside(beside: CodeHeader, embedded: CodeHeader): boolean {
  return beside.abi === LAUNCHER_ABI && compareVersions(beside.version, embedded.version) > 0;
}
