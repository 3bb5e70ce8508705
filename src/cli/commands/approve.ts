// `approve PLAN --key KEY [--out FILE] [--allowed-signers FILE [--require-approvals N]]`: signs the plan file's
// exact bytes as `ssh-keygen -Y sign -n wso2update-plan` would (it runs ssh-keygen: Node cannot read OpenSSH
// keys), into PLAN.approvals/<key>.sig, one file per approver. The plan is read with every check show makes first,
// so nobody approves a file that apply would refuse anyway.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { APPROVAL_NAMESPACE, decideApprovals } from '../../core/approval/decide.js';
import { checkRequired } from '../../core/approval/policy.js';
import { EXIT, UpdateError } from '../../core/errors.js';
import { writeFileAtomic } from '../../io/atomic.js';
import { approvalsFolder, readAllowedSigners, readApprovalFiles } from '../../io/approvals.js';
import { parsePlan } from '../../io/planfile.js';
import { sshKeygenSign } from '../../io/ssh-sign.js';
import { renderApproved } from '../../ui/approvals.js';
import { print } from '../print.js';
import type { CommandRun } from '../context.js';
import { localClock } from '../approval-clock.js';

/** A file name from a key fingerprint: `SHA256:ab+c/d` -> `ab-c_d`, shortened; one approver's key, one file. */
const sigName = (fingerprint: string): string => `${fingerprint.replace(/^SHA256:/, '').replace(/\+/g, '-').replace(/\//g, '_').slice(0, 16)}.sig`;

export const run: CommandRun = async (ctx, args, opts) => {
  if (!args[0]) throw new UpdateError('usage', 'approve needs the plan file to approve', { hint: 'wso2update approve wso2update.plan.json --key ~/.ssh/id_ed25519' });
  if (typeof opts.key !== 'string' || opts.key === '') throw new UpdateError('usage', 'approve needs --key KEY (your SSH private key, or its .pub with the key in ssh-agent)', { hint: 'Or, without this tool: ssh-keygen -Y sign -f ~/.ssh/id_ed25519 -n wso2update-plan PLAN' });
  const planFile = resolve(ctx.cwd, args[0]);
  const bytes = await readFile(planFile).catch((err: NodeJS.ErrnoException) => {
    throw new UpdateError(err.code === 'ENOENT' ? 'not-found' : 'io', `cannot read ${planFile}: ${err.message}`, { cause: err });
  });
  const plan = parsePlan(bytes.toString('utf8'), planFile);
  const { text, sig } = await sshKeygenSign(bytes, resolve(ctx.cwd, opts.key), APPROVAL_NAMESPACE, { env: ctx.env });
  const out = typeof opts.out === 'string' ? resolve(ctx.cwd, opts.out) : join(approvalsFolder(planFile), sigName(sig.fingerprint));
  await mkdir(dirname(out), { recursive: true });
  await writeFileAtomic(out, text, { mode: 0o644 });
  let verdict = null;
  if (typeof opts.allowedSigners === 'string') {
    const signers = await readAllowedSigners(resolve(ctx.cwd, opts.allowedSigners));
    const required = opts.requireApprovals === undefined ? 0 : checkRequired(Number(opts.requireApprovals));
    verdict = decideApprovals(bytes, await readApprovalFiles(planFile), signers.lines, required, localClock(ctx.now()));
  }
  const title = `${plan.direction === 'revert' ? 'revert' : plan.hotfix ? `hotfix ${plan.hotfix.id} on` : 'update'} ${plan.product} ${plan.fromLevel} -> ${plan.toLevel}`;
  print(ctx, renderApproved({ planFile: basename(planFile), digest: plan.digest, title, written: out, fingerprint: sig.fingerprint, verdict }));
  // Signing succeeded: the tally is information for the approver, not the outcome of this command.
  return EXIT.ok;
};
