// `policy [--require-approvals N --allowed-signers FILE] [--request FILE] [--approval SIG]...`: shows or records
// the pack's approval policy (issue 23). Tightening is recorded at once; anything that could loosen it needs the
// current approvers' signatures over a change request (core/approval/policy.ts) written beside you: the first run
// writes it and exits 7 saying who must sign; the same command run again with the signatures records the change.
// Every change, and every refusal of one, is an audit record.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { decideApprovals } from '../../core/approval/decide.js';
import { changeRequest, changeRequestText, checkRequired, classifyChange, type ApprovalPolicy } from '../../core/approval/policy.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { readAllowedSigners, readApprovalFiles, readPackPolicy, writePackPolicy } from '../../io/approvals.js';
import { acquireLock } from '../../io/lock.js';
import { openPack } from '../../io/pack.js';
import { assertProductHome, readState, resolveHome } from '../../io/state.js';
import { approvalLines, approvalSummary, renderPolicy, renderPolicySet } from '../../ui/approvals.js';
import { print } from '../print.js';
import { localClock } from '../approval-clock.js';
import { optList as list } from '../approval-gate.js';
import { recordRunLocked } from '../audit-trail.js';
import type { CliContext, CommandRun, RawOptions } from '../context.js';

export const DEFAULT_REQUEST = 'wso2update.policy-change.json';

const describe = (p: ApprovalPolicy | null): string => (p && p.required > 0 ? `${p.required} approval${p.required === 1 ? '' : 's'} (allowed signers sha256 ${p.allowedSigners?.slice(0, 12)}…)` : 'no approvals required');

/** The policy the flags ask for (`--require-approvals N --allowed-signers FILE`), read and checked; null: none given. */
export async function policyFromFlags(cwd: string, opts: RawOptions): Promise<{ next: ApprovalPolicy; signersText: string | null } | null> {
  if (opts.requireApprovals === undefined) {
    if (opts.allowedSigners !== undefined) throw new UpdateError('usage', '--allowed-signers needs --require-approvals N');
    return null;
  }
  const required = checkRequired(Number(opts.requireApprovals));
  if (required === 0) return { next: { required: 0 }, signersText: null };
  if (typeof opts.allowedSigners !== 'string') throw new UpdateError('usage', '--require-approvals needs --allowed-signers FILE (who may approve)');
  const s = await readAllowedSigners(resolve(cwd, opts.allowedSigners));
  if (s.lines.length < required) throw new UpdateError('usage', `${opts.allowedSigners} lists ${s.lines.length} key(s): ${required} distinct approvers could never approve`);
  return { next: { required, allowedSigners: s.sha256 }, signersText: s.text };
}

/** Records the first policy of a pack just adopted (`init --require-approvals`): tightening, so no approvals. */
export async function recordInitialPolicy(ctx: CliContext, home: string, p: { next: ApprovalPolicy; signersText: string | null }): Promise<void> {
  const lock = await acquireLock(openPack(home), ctx.owner);
  try {
    const state = await readState(openPack(home));
    await writePackPolicy(openPack(home).paths.own, p.next, p.signersText);
    await recordRunLocked(ctx, home, { command: 'init', planDigest: null, approvers: [], fromLevel: state.level, toLevel: state.level, filesChanged: 0, result: 'policy', exitCode: EXIT.ok, detail: `policy: ${describe(null)} -> ${describe(p.next)}` });
  } finally {
    await lock.release();
  }
}

export const run: CommandRun = async (ctx, _args, opts) => {
  const home = resolveHome(ctx.cwd, opts.home);
  assertProductHome(openPack(home));
  const own = openPack(home).paths.own;
  const asked = await policyFromFlags(ctx.cwd, opts);
  if (asked === null) {
    const current = await readPackPolicy(own);
    print(ctx, renderPolicy(current?.policy ?? null, current?.signers ?? [], Boolean(opts.json)));
    return EXIT.ok;
  }
  const { next, signersText } = asked;
  const lock = await acquireLock(openPack(home), ctx.owner);
  try {
    const state = await readState(openPack(home));
    const current = await readPackPolicy(own);
    const change = classifyChange(current?.policy ?? null, next);
    const facts = { command: 'policy', planDigest: null, fromLevel: state.level, toLevel: state.level, filesChanged: 0 };
    if (change === 'same') {
      print(ctx, renderPolicySet(home, describe(next), [], false));
      return EXIT.ok;
    }
    let approvers: string[] = [];
    if (change === 'loosen' && current) {
      const requestFile = resolve(ctx.cwd, typeof opts.request === 'string' ? opts.request : DEFAULT_REQUEST);
      const text = changeRequestText(changeRequest(state.lineage, current.policy, next));
      const onDisk = await readFile(requestFile, 'utf8').catch(() => null);
      if (onDisk !== text) {
        await writeFileAtomic(requestFile, text, { mode: 0o644 });
        const why = `changing the policy from ${describe(current.policy)} to ${describe(next)} needs ${current.policy.required} approval(s) under the current policy`;
        await recordRunLocked(ctx, home, { ...facts, approvers: [], result: 'refused', exitCode: EXIT.verification, detail: why });
        throw new UpdateError('verification', why, {
          detail: `The change request is ${requestFile}.`,
          hint: `Each approver signs it: ssh-keygen -Y sign -f KEY -n wso2update-plan ${requestFile} (or put the signatures in ${requestFile}.approvals/), then run this command again.`,
        });
      }
      const v = decideApprovals(Buffer.from(text), await readApprovalFiles(requestFile, list(opts.approval).map((f) => resolve(ctx.cwd, f))), current.signers, current.policy.required, localClock(ctx.now()));
      if (!v.ok) {
        await recordRunLocked(ctx, home, { ...facts, approvers: v.approvers.flatMap((a) => a.principals), result: 'refused', exitCode: EXIT.verification, detail: `policy change not approved: ${approvalSummary(v)}` });
        throw new UpdateError('verification', `the policy change is not approved: ${approvalSummary(v)}`, { detail: approvalLines(v).slice(1).map((l) => l.trim()).join('\n') || undefined, hint: 'Nothing was changed.' });
      }
      approvers = [...new Set(v.approvers.flatMap((a) => a.principals))].sort();
    }
    await writePackPolicy(own, next, signersText);
    await recordRunLocked(ctx, home, { ...facts, approvers, result: 'policy', exitCode: EXIT.ok, detail: `policy: ${describe(current?.policy ?? null)} -> ${describe(next)}` });
    print(ctx, renderPolicySet(home, describe(next), approvers, true));
    return EXIT.ok;
  } finally {
    await lock.release();
  }
};
