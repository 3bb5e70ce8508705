// The audit hash chain: a clean trail verifies; each tampering (edit, removal, reorder, insertion, truncation
// with the head kept, a cut-off line) is found and the first bad record named; rotation keeps it verifiable.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { nextRecord, recordLine, rotationEntry, verifyChain, type AuditEntry, type AuditHead, type AuditRecord } from '../../../src/core/audit/chain.js';
import { sha256Hex } from '../../../src/core/canonical.js';

const entry = (i: number, over: Partial<AuditEntry> = {}): AuditEntry => ({
  time: `2026-06-01T12:00:${String(i).padStart(2, '0')}.000Z`, user: 'ops', host: 'node1', command: 'apply', planDigest: 'a'.repeat(64),
  approvers: ['alice@example.com', 'bob@example.com'], fromLevel: i, toLevel: i + 1, result: 'applied', exitCode: 0, filesChanged: 12, ...over,
});

function trail(n: number, head: AuditHead | null = null): AuditRecord[] {
  const out: AuditRecord[] = [];
  for (let i = 0; i < n; i++) {
    const r = nextRecord(out.length ? { seq: out[out.length - 1].seq, hash: out[out.length - 1].hash } : head, entry(i));
    out.push(r);
  }
  return out;
}
const text = (rs: AuditRecord[]): string => rs.map(recordLine).join('');
const headOf = (rs: AuditRecord[]): AuditHead => ({ seq: rs[rs.length - 1].seq, hash: rs[rs.length - 1].hash });
const lines = (rs: AuditRecord[]): string[] => text(rs).split('\n').slice(0, -1);

test('a clean trail verifies, with and without its head', () => {
  const rs = trail(5);
  for (const head of [null, headOf(rs)]) {
    const rep = verifyChain([{ name: 'audit.log', text: text(rs) }], head);
    assert.is(rep.bad, null);
    assert.is(rep.records.length, 5);
  }
  assert.is(verifyChain([{ name: 'audit.log', text: '' }], null).bad, null);
});

const tamperings: [string, (l: string[]) => string[], number, number, RegExp][] = [
  ['an edited record (result changed)', (l) => l.map((x, i) => (i === 2 ? x.replace('"applied"', '"refused"') : x)), 3, 3, /record 3 was edited/],
  ['an edited record with its hash recomputed', (l) => {
    const r = JSON.parse(l[2]) as AuditRecord;
    const edited = nextRecord({ seq: 2, hash: r.prev }, { ...entry(2), approvers: ['mallory@example.com'] });
    return l.map((x, i) => (i === 2 ? recordLine(edited).trim() : x));
  }, 4, 4, /record 4 does not chain to record 3/],
  ['a removed record', (l) => l.filter((_, i) => i !== 1), 2, 2, /record 3 follows record 1: record 2 was removed/],
  ['two records swapped', (l) => [l[0], l[2], l[1], l[3], l[4]], 2, 2, /record 3 follows record 1/],
  ['a record repeated', (l) => [l[0], l[1], l[1], l[2], l[3], l[4]], 3, 3, /reordered or repeated/],
  ['the first record removed', (l) => l.slice(1), 1, 1, /records before it were removed/],
  ['a line cut off mid-record', (l) => [...l.slice(0, 4), l[4].slice(0, 40)], 5, 5, /not a JSON record/],
  ['a foreign line inserted', (l) => [l[0], '{"hello":1}', ...l.slice(1)], 2, 2, /not a record of this tool/],
];
for (const [name, tamper, line, seq, why] of tamperings) {
  test(`found: ${name}`, () => {
    const rs = trail(5);
    const rep = verifyChain([{ name: 'audit.log', text: `${tamper(lines(rs)).join('\n')}\n` }], null);
    assert.ok(rep.bad, 'not found');
    assert.equal([rep.bad?.segment, rep.bad?.line, rep.bad?.seq], ['audit.log', line, seq]);
    assert.match(rep.bad?.why ?? '', why);
  });
}

test('truncation: the last records removed show only against the head kept apart', () => {
  const rs = trail(5);
  const cut = text(rs.slice(0, 3));
  assert.is(verifyChain([{ name: 'audit.log', text: cut }], null).bad, null);
  const rep = verifyChain([{ name: 'audit.log', text: cut }], headOf(rs));
  assert.match(rep.bad?.why ?? '', /ends at record 3 but record 5 was written: the log was truncated/);
  assert.is(rep.bad?.seq, 4);
  // A rewritten tail (same length, other content) against the head.
  const other = [...rs.slice(0, 4), nextRecord(headOf(rs.slice(0, 4)), entry(9, { result: 'refused', exitCode: 7 }))];
  assert.match(verifyChain([{ name: 'audit.log', text: text(other) }], headOf(rs)).bad?.why ?? '', /record 5 is not the one written/);
});

test('rotation: the new segment starts with a rotation record; it verifies alone and with its archive', () => {
  const old = trail(3);
  const archived = text(old);
  const rot = nextRecord(headOf(old), rotationEntry({ time: '2026-06-02T00:00:00.000Z', user: 'ops', host: 'node1' },
    { name: 'audit-1-3.log', first: 1, last: 3, sha256: sha256Hex(archived) }));
  const after = trail(2, headOf([rot]));
  const active = text([rot, ...after]);
  const both = verifyChain([{ name: 'audit-1-3.log', text: archived }, { name: 'audit.log', text: active }], headOf(after));
  assert.is(both.bad, null);
  assert.is(both.records.length, 6);
  assert.equal(both.notes, []);
  const alone = verifyChain([{ name: 'audit.log', text: active }], headOf(after));
  assert.is(alone.bad, null);
  assert.match(alone.notes[0], /checked from record 4, a rotation record \(archived records 1-3 as audit-1-3.log/);
  // The wrong archive (another pack's, or an edited one) does not chain to the rotation record.
  const wrong = text(trail(3).map((r) => r));
  const mixed = verifyChain([{ name: 'audit-1-3.log', text: wrong.replace('"node1"', '"node2"') }, { name: 'audit.log', text: active }], null);
  assert.ok(mixed.bad);
  assert.is(mixed.bad?.segment, 'audit-1-3.log');
});

test('hostile: a huge line, JSON that is not an object, deep nonsense', () => {
  assert.match(verifyChain([{ name: 'a', text: `${'x'.repeat(70000)}\n` }], null).bad?.why ?? '', /not a record/);
  assert.match(verifyChain([{ name: 'a', text: 'null\n' }], null).bad?.why ?? '', /not a record/);
  assert.match(verifyChain([{ name: 'a', text: '[1,2]\n' }], null).bad?.why ?? '', /not a record/);
  assert.match(verifyChain([{ name: 'a', text: '{"formatVersion":1,"seq":1.5}\n' }], null).bad?.why ?? '', /no sequence number/);
});

test.run();
