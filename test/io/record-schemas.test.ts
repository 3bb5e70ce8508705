// io/record-schemas: the pack's own records (journal, generation record) checked against their schemas and the
// record path rules at load, so a forged one is refused before a single step runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseChecked } from '../../src/io/record-schemas.js';
import { UpdateError } from '../../src/core/errors.js';

const F = { kind: 'file', sha256: 'a'.repeat(64), size: 1, mode: '0644' };
const GEN = {
  formatVersion: 1, id: 'g2-0-1', planDigest: 'e'.repeat(64), direction: 'update', product: 'wso2am-4.2.0', fromLevel: 0, toLevel: 1,
  entries: [{ path: 'lib/a.jar', before: F, after: { ...F, sha256: 'b'.repeat(64) }, created: null }],
};

function refusal(text: string): UpdateError {
  try {
    parseChecked('generation', text, 'generation.json');
  } catch (err) {
    assert.instance(err, UpdateError);
    return err as UpdateError;
  }
  throw new Error('accepted');
}

test('a genuine generation record is read as written; a revert\'s may name the changelog it takes back', () => {
  assert.equal(parseChecked('generation', JSON.stringify(GEN), 'g'), GEN);
  const back = { ...GEN, direction: 'revert', entries: [{ path: 'updates/changelog-0000-0001.md', before: F, after: { kind: 'absent' }, created: null }] };
  assert.equal(parseChecked('generation', JSON.stringify(back), 'g'), back);
});

test('schema refusals (exit 1) name the file and the place; syntax and duplicate keys too', () => {
  const cases: [unknown, RegExp][] = [
    [{ ...GEN, formatVersion: 2 }, /generation\.json: \/formatVersion must be equal to constant/],
    [{ ...GEN, id: '..' }, /\/id must match pattern/],
    [{ ...GEN, extra: 1 }, /\(root\) must NOT have additional properties/],
    [{ ...GEN, entries: [{ ...GEN.entries[0], before: { kind: 'dir' } }] }, /\/entries\/0\/before\/kind must be equal to one of/],
  ];
  for (const [value, message] of cases) {
    const e = refusal(JSON.stringify(value));
    assert.is(e.code, 'invalid-input');
    assert.match(e.message, message);
    assert.match(e.hint ?? '', 'Restore it from a backup of the pack');
  }
  assert.is(refusal('{"id":').code, 'invalid-input');
  assert.match(refusal(JSON.stringify(GEN).replace('"id":', '"id":"x","id":')).message, 'duplicate key');
});

test('forged paths are refused as hostile (exit 1): outside the pack, inside the tool\'s state, a created folder there', () => {
  const forged = (entry: Record<string, unknown>) => JSON.stringify({ ...GEN, entries: [{ ...GEN.entries[0], ...entry }] });
  for (const [entry, message] of [
    [{ path: '../../etc/passwd' }, /path "\.\.\/\.\.\/etc\/passwd"/],
    [{ path: 'updates/wso2update/state.json' }, /the tool's own state/],
    [{ created: 'updates/wso2update' }, /the tool's own state/],
    [{ created: '/tmp' }, /absolute/],
  ] as [Record<string, unknown>, RegExp][]) {
    const e = refusal(forged(entry));
    assert.is(e.code, 'hostile-path', JSON.stringify(entry));
    assert.match(e.message, message);
  }
});

test('a journal: the schema is checked first; a forged one never reaches the path rules as valid', () => {
  try {
    parseChecked('journal', JSON.stringify({ formatVersion: 1, steps: [{ path: '../x' }] }), 'journal.json');
    assert.unreachable();
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.match((err as Error).message, /^journal\.json: /);
  }
});

test.run();
