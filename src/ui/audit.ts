// `wso2update audit`: the trail for people (one line per record) and for a SIEM (JSON lines, exactly as stored),
// and the words of `--verify` (the first bad record, with where it is).
import type { AuditRecord, ChainReport } from '../core/audit/chain.js';
import { recordLine } from '../core/audit/chain.js';
import type { Output } from './output.js';

const levels = (r: AuditRecord): string =>
  r.fromLevel === null && r.toLevel === null ? '' : ` level ${r.fromLevel ?? '?'} -> ${r.toLevel ?? '?'},`;

/** `#12 2026-06-01T12:00:00.000Z ops@node1 apply: applied (exit 0), level 1 -> 2, 12 files, plan 9ce68d12de36, approved by alice, bob` */
export function auditLine(r: AuditRecord): string {
  const parts = [`#${r.seq} ${r.time} ${r.user}@${r.host} ${r.command}: ${r.result} (exit ${r.exitCode}),${levels(r)} ${r.filesChanged} file${r.filesChanged === 1 ? '' : 's'}`];
  if (r.planDigest) parts.push(`plan ${r.planDigest.slice(0, 12)}`);
  if (r.approvers.length) parts.push(`approved by ${r.approvers.join(', ')}`);
  if (r.detail) parts.push(r.detail);
  return parts.join(', ');
}

export const renderAuditText = (records: readonly AuditRecord[]): string =>
  records.length ? `${records.map(auditLine).join('\n')}\n` : 'The audit trail is empty.\n';

/** JSON lines, each record exactly as stored (canonical), so a SIEM can re-check the hashes. */
export const renderAuditJson = (records: readonly AuditRecord[]): string => records.map(recordLine).join('');

export function verifyLines(rep: ChainReport): string[] {
  const last = rep.records[rep.records.length - 1];
  if (rep.bad) {
    const where = rep.bad.line > 0 ? `${rep.bad.segment} line ${rep.bad.line}` : rep.bad.segment;
    return [`Audit trail NOT intact: first bad record is ${rep.bad.seq} (${where}): ${rep.bad.why}.`,
      `Records before it (${rep.records.length}) verify${last ? `, up to record ${last.seq}` : ''}.`, ...rep.notes.map((n) => `Note: ${n}.`)];
  }
  if (!last) return ['Audit trail intact: no records yet.', ...rep.notes.map((n) => `Note: ${n}.`)];
  return [`Audit trail intact: ${rep.records.length} records (${rep.records[0].seq} to ${last.seq}), last hash ${last.hash}.`, ...rep.notes.map((n) => `Note: ${n}.`)];
}

/** `audit`: records on stdout (JSON lines with --json, else one line each). */
export const renderAudit = (records: readonly AuditRecord[], json: boolean): Output =>
  ({ stdout: json ? renderAuditJson(records) : renderAuditText(records), stderr: '' });

/** `audit --verify`: the verdict on stderr for people; with --json, one JSON object on stdout for scripts. */
export function renderVerify(rep: ChainReport, json: boolean): Output {
  const last = rep.records[rep.records.length - 1];
  return {
    stderr: `${verifyLines(rep).join('\n')}\n`,
    stdout: json ? `${JSON.stringify({ intact: rep.bad === null, records: rep.records.length, lastSeq: last?.seq ?? 0, lastHash: last?.hash ?? null, firstBad: rep.bad, notes: rep.notes })}\n` : '',
  };
}
