// The approval gate of every command that applies a plan (apply, revert, hotfixes; issue 23): the pack's recorded
// policy plus any --require-approvals N --allowed-signers FILE of this run, each checked on its own, over the exact
// bytes of the plan file that is then applied. Refusals are exit 7 and name who approved and what is missing.
import { join, resolve } from 'node:path';
import type { SignerLine } from '../core/approval/allowed-signers.js';
import { decideApprovals } from '../core/approval/decide.js';
import { checkRequired } from '../core/approval/policy.js';
import type { ApprovalVerdict } from '../core/approval/verdict.js';
import { UpdateError } from '../core/errors.js';
import { readAllowedSigners, readApprovalFiles, readPackPolicy } from '../io/approvals.js';
import { approvalLines, approvalSummary } from '../ui/approvals.js';
import { localClock } from './approval-clock.js';
import type { RawOptions } from './context.js';

/** A repeatable option (`--approval A --approval B`) as cac hands it: absent, one string, or several. */
export const optList = (v: unknown): string[] => (v === undefined || v === false ? [] : (Array.isArray(v) ? v : [v]).map(String));

export interface ApprovalDemand {
  /** Where the demand comes from, for messages: "the pack's policy" or the --allowed-signers file. */
  source: string;
  required: number;
  signers: SignerLine[];
}

/** The demands on a plan applied to the pack at `home`: its recorded policy, then this run's flags. */
export async function approvalDemands(home: string, cwd: string, opts: RawOptions): Promise<ApprovalDemand[]> {
  const out: ApprovalDemand[] = [];
  const pack = await readPackPolicy(join(home, 'updates', 'wso2update'));
  if (pack && pack.policy.required > 0) out.push({ source: "the pack's policy", required: pack.policy.required, signers: pack.signers });
  const n = opts.requireApprovals;
  const file = opts.allowedSigners;
  if (n === undefined && file === undefined) return out;
  if (typeof file !== 'string' || file === '') throw new UpdateError('usage', '--require-approvals needs --allowed-signers FILE (who may approve)', { hint: 'e.g. --require-approvals 2 --allowed-signers /etc/wso2update/allowed_signers' });
  if (n === undefined) throw new UpdateError('usage', '--allowed-signers needs --require-approvals N (how many distinct approvers)');
  const path = resolve(cwd, file);
  out.push({ source: path, required: checkRequired(Number(n)), signers: (await readAllowedSigners(path)).lines });
  return out;
}

/**
 * Checks every demand over `bytes` (the plan file as read once for applying); returns the approvers (principals,
 * sorted, each once) for the audit record, or throws exit 7 with the verdict's lines.
 */
export async function enforceApprovals(planFile: string, bytes: Uint8Array, demands: readonly ApprovalDemand[], extra: readonly string[], now: Date): Promise<string[]> {
  const active = demands.filter((d) => d.required > 0);
  if (!active.length) return [];
  const files = await readApprovalFiles(planFile, extra);
  const approvers = new Set<string>();
  for (const d of active) {
    const v: ApprovalVerdict = decideApprovals(bytes, files, d.signers, d.required, localClock(now));
    if (!v.ok) {
      throw new UpdateError('verification', `the plan is not approved as ${d.source} requires: ${approvalSummary(v)}`, {
        detail: approvalLines(v).slice(1).map((l) => l.trim()).join('\n') || undefined,
        hint: 'Approvers sign the plan file unchanged: ssh-keygen -Y sign -f KEY -n wso2update-plan PLAN (or wso2update approve PLAN --key KEY); nothing was changed.',
      });
    }
    for (const a of v.approvers) for (const p of a.principals) approvers.add(p);
  }
  return [...approvers].sort();
}

/**
 * Under an approval policy, a command that would plan and apply in one go (apply without a plan file, revert,
 * apply-hotfix) is refused (exit 7): nobody approved a plan that exists only inside this process. `instead` is the
 * command that writes the plan to approve.
 */
export function refuseOneShot(demands: readonly ApprovalDemand[], prog: string, home: string, instead: string): void {
  const n = Math.max(0, ...demands.map((d) => d.required));
  if (n === 0) return;
  throw new UpdateError('verification', `this pack requires ${n} approval${n === 1 ? '' : 's'} of a plan file, so it cannot plan and apply in one go`, {
    hint: `Write the plan (\`${prog} ${instead} --home ${home}\`), have it approved (ssh-keygen -Y sign -n wso2update-plan PLAN), then \`${prog} apply PLAN --home ${home}\`. Nothing was changed.`,
  });
}
