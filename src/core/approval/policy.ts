// A pack's approval policy (issue 23): how many distinct approvers every apply, revert and hotfix needs, and the
// allowed signers they come from. Recorded in the pack by `init` or `policy`; tightening needs nobody's signature,
// anything that could loosen it (fewer approvers, another signers list, no policy) needs the current policy's
// approvals over a change request bound to this pack and this policy, so it cannot be replayed elsewhere or later.
import { canonicalJson, sha256Hex } from '../canonical.js';
import { UpdateError } from '../errors.js';
import type { Sha256 } from '../model.js';

export interface ApprovalPolicy {
  required: number;
  /** sha256 of the allowed signers file the approvals are judged by (the pack keeps its own copy). */
  allowedSigners?: Sha256;
}

/** The most approvers a policy may ask for: beyond this it is a typo, not a change board. */
export const MAX_REQUIRED = 32;

export function checkRequired(n: number, flag = '--require-approvals'): number {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_REQUIRED) {
    throw new UpdateError('usage', `${flag} ${n}: expected a whole number from 0 to ${MAX_REQUIRED}`);
  }
  return n;
}

export type PolicyChange = 'same' | 'tighten' | 'loosen';

/** Whether `next` only adds requirements to `current` (more approvers, same signers), or could loosen them. */
export function classifyChange(current: ApprovalPolicy | null, next: ApprovalPolicy | null): PolicyChange {
  const cur = current?.required ?? 0;
  const nxt = next?.required ?? 0;
  if (cur === 0) return nxt === 0 ? 'same' : 'tighten';
  if (nxt === 0) return 'loosen';
  if (current?.allowedSigners !== next?.allowedSigners) return 'loosen';
  return nxt === cur ? 'same' : nxt > cur ? 'tighten' : 'loosen';
}

/** The document approvers sign to loosen a pack's policy: bound to the pack (lineage) and the policy it replaces. */
export interface PolicyChangeRequest {
  kind: 'wso2update-policy-change';
  formatVersion: 1;
  lineage: string;
  /** sha256 of the canonical JSON of the current policy: a request made against another policy does not apply. */
  from: Sha256;
  to: { required: number; allowedSigners?: Sha256 };
}

export const policyDigest = (p: ApprovalPolicy | null): Sha256 => sha256Hex(canonicalJson(p ?? { required: 0 }));

export function changeRequest(lineage: string, current: ApprovalPolicy | null, next: ApprovalPolicy | null): PolicyChangeRequest {
  return { kind: 'wso2update-policy-change', formatVersion: 1, lineage, from: policyDigest(current), to: next ?? { required: 0 } };
}

/** The exact bytes approvers sign (canonical JSON and a newline), so the tool and a reviewer make the same file. */
export const changeRequestText = (r: PolicyChangeRequest): string => `${canonicalJson(r)}\n`;
