// The outcome of judging a plan's approvals (core/approval/decide.ts), as data: views (ui/approvals.ts, the review
// page) read these types without importing the decision itself.

export type Rejection = 'malformed' | 'other-plan' | 'wrong-namespace' | 'key-not-allowed' | 'namespace-not-allowed' | 'expired' | 'not-yet-valid';

export interface Approver { source: string; fingerprint: string; principals: string[] }
export interface Rejected { source: string; reason: Rejection; detail: string; fingerprint?: string }
/** A valid signature that does not add an approver: the same key again, or a key of a principal already counted. */
export interface Repeated { source: string; fingerprint: string; principals: string[]; sameAs: string }

export interface ApprovalVerdict {
  required: number;
  approvers: Approver[];
  rejected: Rejected[];
  repeated: Repeated[];
  /** Approvers still needed (0 when enough). */
  missing: number;
  /** Enough distinct approvers and no signature that was refused outright. */
  ok: boolean;
}
