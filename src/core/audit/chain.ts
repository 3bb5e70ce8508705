// The audit trail's records and hash chain (issue 23): each record names the one before it by its hash, so an
// edited, removed, reordered or (with the head kept apart) truncated record shows, and verification names the first
// bad one. Pure: the writer (io) appends the lines this module makes and keeps the head; time comes in as text.
import { canonicalJson, sha256Hex } from '../canonical.js';
import type { Sha256 } from '../model.js';

export const AUDIT_FORMAT = 1 as const;
/** The `prev` of the very first record of a pack's trail. */
export const GENESIS: Sha256 = '0'.repeat(64);
/** A line longer than this is not a record this tool wrote (a record names levels and approvers, not files). */
export const MAX_RECORD_LINE = 64 * 1024;

export type AuditResult = 'applied' | 'waiting' | 'reverted' | 'rolled-back' | 'recovered' | 'refused' | 'failed' | 'policy' | 'rotated';

/** What the caller says about one run; the chain fields are added by `nextRecord`. */
export interface AuditEntry {
  /** ISO time of the record (the writer's clock). */
  time: string;
  user: string;
  host: string;
  /** `apply`, `apply --continue`, `revert`, `recover`, `apply-hotfix`, `revert-hotfix`, `self-update`, `policy`, `rotate`. */
  command: string;
  planDigest: Sha256 | null;
  /** Principals of the approvals that were checked and counted (empty when none were required). */
  approvers: string[];
  fromLevel: number | null;
  toLevel: number | null;
  result: AuditResult;
  exitCode: number;
  filesChanged: number;
  /** Why it was refused or failed, or what a policy change or rotation was: one line for people. */
  detail?: string;
  /**
   * The run this record closes (an apply's journal id): the writer appends a run's record once, so recover can
   * write the record of an apply a crash cut off after its commit without ever writing it twice.
   */
  run?: string;
}

export interface AuditRecord extends AuditEntry {
  formatVersion: typeof AUDIT_FORMAT;
  /** 1 for the first record ever; continues across rotated segments. */
  seq: number;
  prev: Sha256;
  hash: Sha256;
}

/** The last record written, kept apart from the log (so a cut-off tail shows): its sequence and hash. */
export interface AuditHead { seq: number; hash: Sha256 }

export const recordHash = (r: Omit<AuditRecord, 'hash'>): Sha256 => {
  const { hash: _h, ...rest } = r as AuditRecord;
  return sha256Hex(canonicalJson(rest));
};

export function nextRecord(head: AuditHead | null, entry: AuditEntry): AuditRecord {
  const body = { ...entry, formatVersion: AUDIT_FORMAT, seq: (head?.seq ?? 0) + 1, prev: head?.hash ?? GENESIS };
  return { ...body, hash: recordHash(body) };
}

/** One JSON line (canonical: sorted keys), as written to the log and printed by `audit --json`. */
export const recordLine = (r: AuditRecord): string => `${canonicalJson(r)}\n`;

/**
 * The first record of a fresh segment after rotation: it names the archived segment (file name, record range, the
 * sha256 of its bytes) and chains to its last record, so the active segment verifies alone and with its archives.
 */
export function rotationEntry(base: Omit<AuditEntry, 'command' | 'result' | 'exitCode' | 'filesChanged' | 'planDigest' | 'approvers' | 'fromLevel' | 'toLevel' | 'detail'>,
  archived: { name: string; first: number; last: number; sha256: Sha256 }): AuditEntry {
  return {
    ...base, command: 'rotate', planDigest: null, approvers: [], fromLevel: null, toLevel: null, result: 'rotated', exitCode: 0, filesChanged: 0,
    detail: `archived records ${archived.first}-${archived.last} as ${archived.name} (sha256 ${archived.sha256})`,
  };
}

const isInt = (x: unknown): x is number => Number.isSafeInteger(x);
const isIntOrNull = (x: unknown): boolean => x === null || isInt(x);
const isStr = (x: unknown): x is string => typeof x === 'string';

function shapeError(r: Record<string, unknown>): string | null {
  if (r.formatVersion !== AUDIT_FORMAT) return `format version ${JSON.stringify(r.formatVersion)}`;
  if (!isInt(r.seq) || r.seq < 1) return 'no sequence number';
  for (const k of ['time', 'user', 'host', 'command', 'result', 'prev', 'hash'] as const) if (!isStr(r[k])) return `no ${k}`;
  if (!(r.planDigest === null || isStr(r.planDigest))) return 'bad planDigest';
  if (!Array.isArray(r.approvers) || !r.approvers.every(isStr)) return 'bad approvers';
  if (!isIntOrNull(r.fromLevel) || !isIntOrNull(r.toLevel) || !isInt(r.exitCode) || !isInt(r.filesChanged)) return 'bad numbers';
  if (!(r.detail === undefined || isStr(r.detail)) || !(r.run === undefined || isStr(r.run))) return 'bad detail or run';
  return null;
}

/** One segment of the log: a file name for messages and its text. */
export interface Segment { name: string; text: string }

export interface BadRecord {
  segment: string;
  /** 1-based line in the segment (0 when the problem is a missing tail). */
  line: number;
  /** The sequence number the record should have had. */
  seq: number;
  why: string;
}

export interface ChainReport {
  records: AuditRecord[];
  /** The first problem found (verification stops there: nothing after a break can be trusted). */
  bad: BadRecord | null;
  /** Notes that are not failures: archived segments not present, so the chain was checked from a rotation record. */
  notes: string[];
}

/**
 * Verifies segments in order (oldest archive first, the active log last). The first record must be sequence 1
 * chained to GENESIS, or a rotation record (its archives may be kept elsewhere). With `head`, the log must reach it
 * with the same hash: a cut-off tail is found too.
 */
export function verifyChain(segments: Segment[], head: AuditHead | null): ChainReport {
  const records: AuditRecord[] = [];
  const notes: string[] = [];
  let prev: AuditRecord | null = null;
  const fail = (segment: string, line: number, seq: number, why: string): ChainReport => ({ records, bad: { segment, line, seq, why }, notes });
  for (const seg of segments) {
    const lines = seg.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    for (let i = 0; i < lines.length; i++) {
      const expected = (prev?.seq ?? 0) + 1;
      const at = (why: string): ChainReport => fail(seg.name, i + 1, expected, why);
      if (lines[i].length > MAX_RECORD_LINE) return at(`a line of ${lines[i].length} characters is not a record`);
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(lines[i]) as Record<string, unknown>;
      } catch {
        return at('not a JSON record (edited or cut off mid-line)');
      }
      if (r === null || typeof r !== 'object' || Array.isArray(r)) return at('not a record');
      const shape = shapeError(r);
      if (shape) return at(`not a record of this tool (${shape})`);
      const rec = r as unknown as AuditRecord;
      if (recordHash(rec) !== rec.hash) return at(`record ${rec.seq} was edited: its content does not match its hash`);
      if (prev === null) {
        if (!(rec.seq === 1 && rec.prev === GENESIS) && rec.command !== 'rotate') {
          return at(`record ${rec.seq} is first, but the trail starts at record 1 or a rotation record: records before it were removed`);
        }
        if (rec.seq !== 1) notes.push(`checked from record ${rec.seq}, a rotation record (${rec.detail ?? ''}); the archive it names was not given`);
      } else {
        if (rec.seq !== expected) {
          return at(rec.seq > expected ? `record ${rec.seq} follows record ${prev.seq}: record${rec.seq - expected > 1 ? `s ${expected}-${rec.seq - 1} were` : ` ${expected} was`} removed`
            : `record ${rec.seq} follows record ${prev.seq}: records were reordered or repeated`);
        }
        if (rec.prev !== prev.hash) return at(`record ${rec.seq} does not chain to record ${prev.seq} (a record was replaced or reordered)`);
      }
      records.push(rec);
      prev = rec;
    }
  }
  if (head) {
    const last = prev?.seq ?? 0;
    const lastSeg = segments[segments.length - 1]?.name ?? 'audit log';
    if (last < head.seq) return fail(lastSeg, 0, last + 1, `the log ends at record ${last} but record ${head.seq} was written: the log was truncated`);
    const atHead = records.find((r) => r.seq === head.seq);
    if (atHead && atHead.hash !== head.hash) return fail(lastSeg, 0, head.seq, `record ${head.seq} is not the one written (its hash differs from the one kept)`);
  }
  return { records, bad: null, notes };
}

/** Records at or after an instant (ISO times compare as text only in one zone, so both are parsed by the caller). */
export const recordsSince = (records: AuditRecord[], sinceMs: number, timeOf: (iso: string) => number): AuditRecord[] =>
  records.filter((r) => timeOf(r.time) >= sinceMs);
