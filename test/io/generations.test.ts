// io/generations.ts: a kept generation's record is read like any input: checked against its schema and against the
// id the state names it by, and a missing one is a clear not-found. Where it keeps content is written here once.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { generationDir, keptFile, readGeneration } from '../../src/io/generations.js';
import { openPack } from '../../src/io/pack.js';
import { makeFixture, makeTestPlan } from '../helpers/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');

async function applied() {
  const f = await makeFixture();
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 2), now: NOW });
  return { home: f.home, pack: openPack(f.home) };
}

test('the record as apply wrote it: its run, and each path before and after', async () => {
  const { home, pack } = await applied();
  assert.is(generationDir(home, 'g1-0-1'), join(home, 'updates/wso2update/generations/g1-0-1'));
  assert.is(keptFile(home, 'g1-0-1', 'lib/a.jar'), join(home, 'updates/wso2update/generations/g1-0-1/files/lib/a.jar'));
  const g = await readGeneration(pack, 'g1-0-1');
  assert.equal([g.id, g.direction, g.fromLevel, g.toLevel], ['g1-0-1', 'update', 0, 1]);
  const a = g.entries.find((e) => e.path === 'lib/a.jar');
  assert.ok(a && a.before.kind === 'file' && a.after.kind === 'file' && a.before.sha256 !== a.after.sha256);
});

test('hostile records: another generation\'s, a torn one, a forged entry path, a missing one; each refused', async () => {
  const { home, pack } = await applied();
  const file = join(generationDir(home, 'g2-1-2'), 'generation.json');
  const other = readFileSync(join(generationDir(home, 'g1-0-1'), 'generation.json'), 'utf8');
  const own = JSON.parse(readFileSync(file, 'utf8'));
  const cases: [string, string, string, RegExp][] = [
    ['another generation\'s record', other, 'invalid-input', /is the record of generation g1-0-1, not of g2-1-2/],
    ['torn', other.slice(0, 40), 'invalid-input', /generation\.json/],
    ['an entry outside the pack', JSON.stringify({ ...own, entries: [{ ...own.entries[0], path: '../../etc/passwd' }] }), 'hostile-path', /\.\./],
    ['an unknown field', JSON.stringify({ ...own, extra: 1 }), 'invalid-input', /must NOT have additional properties/],
  ];
  for (const [name, text, code, message] of cases) {
    writeFileSync(file, text);
    const err = await readGeneration(pack, 'g2-1-2').catch((e) => e);
    assert.is(err.code, code, name);
    assert.match(err.message, message, name);
  }
  unlinkSync(file);
  const missing = await readGeneration(pack, 'g2-1-2').catch((e) => e);
  assert.is(missing.code, 'not-found');
  assert.match(missing.message, 'the record of generation g2-1-2 is missing');
  assert.match(missing.hint, 'Nothing was changed');
});

test.run();
