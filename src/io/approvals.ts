// Reading what an approval check needs (issue 23): the signatures beside a plan (PLAN.sig, PLAN.approvals/*.sig,
// and any --approval FILE), an allowed_signers file, and the pack's recorded policy (updates/wso2update/policy.json
// and its own copy of the allowed signers, so a list swapped on a file share cannot change who may approve).
// Every read is capped: these files come from people and shares, not from the tool.
import { open, readdir, realpath } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { MAX_ALLOWED_SIGNERS, parseAllowedSigners, type SignerLine } from '../core/approval/allowed-signers.js';
import type { SignatureFile } from '../core/approval/decide.js';
import { checkRequired, type ApprovalPolicy } from '../core/approval/policy.js';
import { MAX_ARMORED } from '../core/approval/sshsig.js';
import { sha256Hex } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { writeFileAtomic } from './atomic.js';

/** More signature files than this beside one plan is not a change board; refuse rather than read them all. */
export const MAX_APPROVAL_FILES = 64;

export const approvalsFolder = (planFile: string): string => `${planFile}.approvals`;

/** Reads at most `cap` + 1 bytes, so an endless or huge file costs nothing and is reported as too large. */
async function readCapped(path: string, cap: number): Promise<Buffer | null> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new UpdateError('io', `cannot read ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    if (!(await fh.stat()).isFile()) throw new UpdateError('invalid-input', `${path} is not a file`);
    const buf = Buffer.alloc(cap + 1);
    let got = 0;
    while (got < buf.length) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}

/**
 * The signatures of a plan: PLAN.sig (what `ssh-keygen -Y sign PLAN` writes), every *.sig in PLAN.approvals/
 * (sorted), then each `extra` file. A file named twice (a link, or --approval PLAN.sig) is read once.
 */
export async function readApprovalFiles(planFile: string, extra: readonly string[] = []): Promise<SignatureFile[]> {
  const folder = approvalsFolder(planFile);
  const names = await readdir(folder).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [] as string[];
    throw new UpdateError('io', `cannot read ${folder}: ${err.message}`, { cause: err });
  });
  const sigs = names.filter((n) => n.endsWith('.sig')).sort();
  const paths = [`${planFile}.sig`, ...sigs.map((n) => join(folder, n)), ...extra];
  if (paths.length > MAX_APPROVAL_FILES + 1) {
    throw new UpdateError('verification', `${paths.length} signature files for one plan (at most ${MAX_APPROVAL_FILES})`, { hint: `Keep one signature per approver in ${basename(folder)}/.` });
  }
  const seen = new Set<string>();
  const out: SignatureFile[] = [];
  for (const [i, p] of paths.entries()) {
    const real = await realpath(p).catch(() => p);
    if (seen.has(real)) continue;
    const text = await readCapped(p, MAX_ARMORED);
    if (text === null) {
      // PLAN.sig is optional; a file named on the command line is not.
      if (i >= paths.length - extra.length) throw new UpdateError('not-found', `approval ${p} does not exist`);
      continue;
    }
    seen.add(real);
    out.push({ source: p, text });
  }
  return out;
}

export async function readAllowedSigners(file: string): Promise<{ lines: SignerLine[]; sha256: string; text: string }> {
  const buf = await readCapped(file, MAX_ALLOWED_SIGNERS);
  if (buf === null) throw new UpdateError('not-found', `allowed signers file ${file} does not exist`, { hint: 'Name the OpenSSH allowed_signers file of your approvers (principal, key type, key per line).' });
  const text = buf.toString('utf8');
  return { lines: parseAllowedSigners(text, file), sha256: sha256Hex(buf), text };
}

/** The pack's policy files, in the tool's own folder. */
export const policyPaths = (own: string): { policy: string; signers: string } => ({ policy: join(own, 'policy.json'), signers: join(own, 'allowed_signers') });

export interface PackPolicy { policy: ApprovalPolicy; signers: SignerLine[] }

/**
 * The pack's recorded policy, or null when none is. Its copy of the allowed signers must still hash to what the
 * policy names: edited outside `wso2update policy`, the approvals cannot be judged, and that is refused (exit 7).
 */
export async function readPackPolicy(own: string): Promise<PackPolicy | null> {
  const p = policyPaths(own);
  const raw = await readCapped(p.policy, 64 * 1024);
  if (raw === null) return null;
  let policy: ApprovalPolicy;
  try {
    const j = JSON.parse(raw.toString('utf8')) as { formatVersion?: unknown; required?: unknown; allowedSigners?: unknown };
    if (j.formatVersion !== 1 || typeof j.required !== 'number' || !(j.allowedSigners === undefined || (typeof j.allowedSigners === 'string' && /^[0-9a-f]{64}$/.test(j.allowedSigners)))) throw new Error('shape');
    policy = { required: checkRequired(j.required, 'required'), ...(j.allowedSigners === undefined ? {} : { allowedSigners: j.allowedSigners }) };
  } catch (err) {
    throw new UpdateError('verification', `${p.policy} is damaged`, { hint: 'Restore it from a backup, or record the policy again with `wso2update policy` (lowering it needs the current approvers).', cause: err });
  }
  if (policy.required === 0) return { policy, signers: [] };
  const signers = await readAllowedSigners(p.signers).catch((err: unknown) => {
    throw new UpdateError('verification', `the pack's allowed signers (${p.signers}) cannot be read: ${(err as Error).message}`, { cause: err });
  });
  if (signers.sha256 !== policy.allowedSigners) {
    throw new UpdateError('verification', `the pack's allowed signers file ${p.signers} changed outside \`wso2update policy\` (sha256 ${signers.sha256.slice(0, 12)}…, the policy names ${policy.allowedSigners?.slice(0, 12) ?? 'none'}…)`, {
      hint: 'Restore it, or record the new list with `wso2update policy` (that needs the current approvers to sign the change).',
    });
  }
  return { policy, signers: signers.lines };
}

/** Records a policy (the caller holds the pack lock and has checked the change): the signers copy first, then policy.json. */
export async function writePackPolicy(own: string, policy: ApprovalPolicy, signersText: string | null): Promise<void> {
  const p = policyPaths(own);
  if (signersText !== null) await writeFileAtomic(p.signers, signersText, { mode: 0o644 });
  await writeFileAtomic(p.policy, `${JSON.stringify({ formatVersion: 1, ...policy }, null, 2)}\n`, { mode: 0o644 });
}
