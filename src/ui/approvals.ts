// The words of an approval verdict (core/approval/decide.ts): who approved, what is missing, and why each other
// signature does not count, for apply's refusal (exit 7), its report, and the review page.
import type { SignerLine } from '../core/approval/allowed-signers.js';
import type { ApprovalPolicy } from '../core/approval/policy.js';
import type { ApprovalVerdict, Rejection } from '../core/approval/verdict.js';
import type { Output } from './output.js';

const REJECTION_TEXT: Record<Rejection, string> = {
  malformed: 'not a readable SSH signature',
  'other-plan': 'signs another plan',
  'wrong-namespace': 'wrong namespace',
  'key-not-allowed': 'key not in the allowed signers file',
  'namespace-not-allowed': 'key not allowed for plan approvals',
  expired: 'key expired',
  'not-yet-valid': 'key not yet valid',
};

export const rejectionText = (r: Rejection): string => REJECTION_TEXT[r];

/** One line: `2 of 2 approvals: alice@example.com, bob@example.com`, or what is missing. */
export function approvalSummary(v: ApprovalVerdict): string {
  const who = v.approvers.length ? v.approvers.map((a) => a.principals.join('/')).join(', ') : 'nobody';
  const head = `${v.approvers.length} of ${v.required} required approval${v.required === 1 ? '' : 's'}: ${who}`;
  return v.missing > 0 ? `${head}; ${v.missing} more needed` : head;
}

/** Every line an operator needs to act on a verdict: the summary, then each refused and repeated signature. */
export function approvalLines(v: ApprovalVerdict): string[] {
  const out = [approvalSummary(v)];
  for (const r of v.rejected) out.push(`  ${r.source}: ${REJECTION_TEXT[r.reason]}: ${r.detail}`);
  for (const r of v.repeated) out.push(`  ${r.source}: counts once: ${r.principals.join('/')} already approved in ${r.sameAs}`);
  if (v.missing > 0) out.push(`  Ask ${v.missing === 1 ? 'another approver' : `${v.missing} more approvers`} (listed in the allowed signers file, not ${v.approvers.length ? 'those above' : 'yet signed'}) to run: ssh-keygen -Y sign -f KEY -n wso2update-plan PLAN`);
  if (v.rejected.length) out.push('  Remove or replace the refused signature files, then run apply again.');
  return out;
}

/** `approve`: what was signed and where the signature went, then the tally when an allowed signers file was given. */
export function renderApproved(r: { planFile: string; digest: string; title: string; written: string; fingerprint: string; verdict: ApprovalVerdict | null }): Output {
  const lines = [`Approved ${r.planFile}: ${r.title}`, `  plan digest ${r.digest}`, `  signed with ${r.fingerprint}, written to ${r.written}`];
  if (r.verdict) for (const l of approvalLines(r.verdict)) lines.push(`  ${l}`);
  return { stdout: '', stderr: `${lines.join('\n')}\n` };
}

/** `policy` with no change: the pack's policy and who may approve (principals and key fingerprints). */
export function renderPolicy(policy: ApprovalPolicy | null, signers: readonly SignerLine[], json: boolean): Output {
  const required = policy?.required ?? 0;
  if (json) {
    return { stderr: '', stdout: `${JSON.stringify({ required, allowedSigners: policy?.allowedSigners ?? null, signers: signers.map((s) => ({ principals: s.principals, fingerprint: s.fingerprint, namespaces: s.namespaces ?? null })) })}\n` };
  }
  if (required === 0) return { stdout: '', stderr: 'No approvals are required to apply plans to this pack.\n' };
  return { stdout: '', stderr: `${[`Every apply, revert and hotfix on this pack needs ${required} distinct approver${required === 1 ? '' : 's'} among:`,
    ...signers.map((s) => `  ${s.principals}  ${s.fingerprint}${s.namespaces ? `  (namespaces ${s.namespaces})` : ''}`)].join('\n')}\n` };
}

/** `policy` after a change (or none): what the pack requires now. */
export const renderPolicySet = (home: string, text: string, approvers: readonly string[], changed: boolean): Output => ({
  stdout: '',
  stderr: changed ? `Recorded the policy of ${home}: ${text}${approvers.length ? `, approved by ${approvers.join(', ')}` : ''}.\n` : `The policy is already: ${text}. Nothing was changed.\n`,
});

/** `approvals`: the verdict for people on stderr; with --json, one object on stdout for a pipeline. */
export function renderVerdict(digest: string, v: ApprovalVerdict, json: boolean): Output {
  return {
    stderr: `${v.ok ? 'Approved' : 'NOT approved'}: plan ${digest}\n${approvalLines(v).map((l) => `  ${l.trim()}`).join('\n')}\n`,
    stdout: json ? `${JSON.stringify({ approved: v.ok, digest, required: v.required, missing: v.missing,
      approvers: v.approvers.map((a) => ({ principals: a.principals, fingerprint: a.fingerprint, file: a.source })),
      rejected: v.rejected.map((r) => ({ file: r.source, reason: r.reason, detail: r.detail })),
      repeated: v.repeated.map((r) => ({ file: r.source, principals: r.principals, sameAs: r.sameAs })) })}\n` : '',
  };
}
