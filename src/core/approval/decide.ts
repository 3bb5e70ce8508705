// The approval decision (issue 23): which distinct approvers signed this exact plan file, judged against an
// allowed_signers list and the node's clock, and why each other signature does not count. Pure: the caller reads
// the files and the clock; apply refuses (exit 7) unless `ok`, and prints `approvalText` either way.
import type { SignerLine, WallTime } from './allowed-signers.js';
import { matchPatternList } from './pattern.js';
import { readSignature, verifySignature, type SshSignature } from './sshsig.js';
import type { Approver, ApprovalVerdict, Rejected, Rejection, Repeated } from './verdict.js';

/** The SSHSIG namespace of a plan approval: `ssh-keygen -Y sign -n wso2update-plan`. */
export const APPROVAL_NAMESPACE = 'wso2update-plan';

export interface SignatureFile {
  /** Where it came from, for messages (`plan.json.sig`, `plan.json.approvals/alice.sig`). */
  source: string;
  text: string | Uint8Array;
}

/** The node's clock: now, and how it reads a local wall time (allowed_signers times without Z are local). */
export interface Clock {
  nowMs: number;
  localToEpochMs: (t: WallTime) => number;
}

const epochSeconds = (t: WallTime, clock: Clock): number =>
  Math.floor((t.utc ? Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second) : clock.localToEpochMs(t)) / 1000);

const wall = (t: WallTime): string =>
  `${t.year}-${String(t.month).padStart(2, '0')}-${String(t.day).padStart(2, '0')} ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}:${String(t.second).padStart(2, '0')}${t.utc ? ' UTC' : ' local time'}`;

type Judged = { accepted: Approver } | { rejected: Rejected };

function judge(sig: SshSignature, source: string, plan: Uint8Array, signers: SignerLine[], clock: Clock): Judged {
  const fp = sig.fingerprint;
  const reject = (reason: Rejection, detail: string): Judged => ({ rejected: { source, reason, detail, fingerprint: fp } });
  if (!verifySignature(sig, plan, source)) return reject('other-plan', 'the signature is not over this plan file (it approves another plan, or the plan changed after it was signed)');
  if (sig.namespace !== APPROVAL_NAMESPACE) return reject('wrong-namespace', `signed for namespace "${sig.namespace}", not "${APPROVAL_NAMESPACE}" (sign with -n ${APPROVAL_NAMESPACE})`);
  const lines = signers.filter((l) => l.key.blob.equals(sig.publicKey.blob));
  if (!lines.length) return reject('key-not-allowed', `key ${fp} is not in the allowed signers file`);
  const inNamespace = lines.filter((l) => l.namespaces === undefined || matchPatternList(APPROVAL_NAMESPACE, l.namespaces) === 1);
  if (!inNamespace.length) return reject('namespace-not-allowed', `key ${fp} is allowed only for namespaces "${lines[0].namespaces}" (line ${lines[0].line})`);
  const now = Math.floor(clock.nowMs / 1000);
  const early = inNamespace.find((l) => l.validAfter && now < epochSeconds(l.validAfter, clock));
  const late = inNamespace.find((l) => l.validBefore && now > epochSeconds(l.validBefore, clock));
  const valid = inNamespace.filter((l) => !(l.validAfter && now < epochSeconds(l.validAfter, clock)) && !(l.validBefore && now > epochSeconds(l.validBefore, clock)));
  if (!valid.length) {
    return late?.validBefore
      ? reject('expired', `key ${fp} (${late.principals}) was valid until ${wall(late.validBefore)} (line ${late.line})`)
      : reject('not-yet-valid', `key ${fp} (${early?.principals}) is valid only from ${early?.validAfter ? wall(early.validAfter) : '?'} (line ${early?.line})`);
  }
  const principals = [...new Set(valid.flatMap((l) => l.principals.split(',')))].sort();
  return { accepted: { source, fingerprint: fp, principals } };
}

/**
 * Judges every signature over `plan` (the plan file's exact bytes). One key counts once, whatever principals its
 * lines name; two keys that share a principal are one approver. A malformed, foreign, unknown, expired or
 * wrong-namespace signature refuses the plan even with enough others: something is wrong with the approvals, and
 * the operator removes that file or has it signed again.
 */
export function decideApprovals(plan: Uint8Array, files: SignatureFile[], signers: SignerLine[], required: number, clock: Clock): ApprovalVerdict {
  const approvers: Approver[] = [];
  const rejected: Rejected[] = [];
  const repeated: Repeated[] = [];
  for (const f of files) {
    let sig: SshSignature;
    let j: Judged;
    try {
      sig = readSignature(f.text, f.source);
      j = judge(sig, f.source, plan, signers, clock);
    } catch (err) {
      rejected.push({ source: f.source, reason: 'malformed', detail: (err as Error).message });
      continue;
    }
    if ('rejected' in j) {
      rejected.push(j.rejected);
      continue;
    }
    const a = j.accepted;
    const same = approvers.find((x) => x.fingerprint === a.fingerprint || x.principals.some((p) => a.principals.includes(p)));
    if (same) repeated.push({ ...a, sameAs: same.source });
    else approvers.push(a);
  }
  const missing = Math.max(0, required - approvers.length);
  return { required, approvers, rejected, repeated, missing, ok: missing === 0 && rejected.length === 0 };
}
