// The plan file: written 0600 and atomically, read back identical; refused when edited (digest), from another
// format version, or failing the schema or path checks. Real files in a temp folder.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { planDigest } from '../../src/core/canonical.js';
import { UpdateError } from '../../src/core/errors.js';
import type { Plan } from '../../src/core/model.js';
import { readPlan, writePlan } from '../../src/io/planfile.js';
import { samplePlan } from '../helpers/sample-plan.js';
import { tmpDir } from '../helpers/tmp.js';

const dir = tmpDir('planfile');

test('written with mode 0600, no temporary left, read back equal', async () => {
  const file = join(dir, 'p.json');
  const plan = samplePlan();
  await writePlan(file, plan);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.equal(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  assert.equal(await readPlan(file), plan);
  for (const policy of ['keep-mine', 'take-theirs'] as const) {
    await writePlan(file, samplePlan(policy));
    assert.equal(await readPlan(file), samplePlan(policy));
  }
});

async function refused(mutate: (p: Record<string, unknown>) => void, want: RegExp, rehash = true): Promise<void> {
  const file = join(dir, 'bad.json');
  const p = JSON.parse(JSON.stringify(samplePlan())) as Record<string, unknown>;
  mutate(p);
  if (rehash) p.digest = planDigest(p as unknown as Plan);
  writeFileSync(file, JSON.stringify(p));
  try {
    await readPlan(file);
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.match(`${(err as Error).message}\n${(err as UpdateError).detail ?? ''}`, want);
    return;
  }
  assert.unreachable(`accepted: ${want}`);
}

const actions = (p: Record<string, unknown>) => p.actions as Record<string, unknown>[];
const rejections: [string, (p: Record<string, unknown>) => void, RegExp, boolean?][] = [
  ['an edited merged text (digest no longer matches)', (p) => { (actions(p)[1] as { merged: string }).merged += 'x'; }, /digest does not match its content/, false],
  ['another format version', (p) => { p.formatVersion = 2; }, /format version 2; this wso2update reads version 1/],
  ['an unknown field', (p) => { p.extra = 1; }, /extra/],
  ['a bad sha256 in an action', (p) => { (actions(p)[3].after as { sha256: string }).sha256 = 'ABC'; }, /sha256/],
  ['a mode that is not octal', (p) => { (actions(p)[3].after as { mode: string }).mode = '0999'; }, /mode|0644/],
  ['an unknown action', (p) => { actions(p)[0].action = 'delete'; }, /action/],
  ['a conflict without a reason', (p) => { delete actions(p)[2].reason; }, /reason/],
  ['a bad policy', (p) => { p.onConflict = 'merge-all'; }, /onConflict/],
  ['a path that escapes the pack', (p) => { actions(p)[0].path = '../etc/passwd'; }, /escapes the pack/],
  ['an absolute precondition path', (p) => { p.preconditions = { '/etc/passwd': { kind: 'absent' } }; }, /absolute/],
  ['a path listed twice', (p) => { actions(p)[1].path = actions(p)[0].path; }, /listed twice/],
  ['a negative serial', (p) => { p.serial = -1; }, /serial/],
];

for (const [name, mutate, want, rehash] of rejections) test(`refused: ${name}`, () => refused(mutate, want, rehash ?? true));

async function message(p: Promise<unknown>): Promise<string> {
  return p.then(() => 'resolved', (err: Error) => err.message);
}

test('a missing file and broken JSON are clear errors', async () => {
  assert.match(await message(readPlan(join(dir, 'nope.json'))), /plan file not found/);
  writeFileSync(join(dir, 'broken.json'), '{\n  "formatVersion": 1,\n  oops\n}');
  assert.match(await message(readPlan(join(dir, 'broken.json'))), /broken\.json is not a plan file: it is not JSON \(line 3, column \d+\)/);
  assert.ok(readFileSync(join(dir, 'broken.json'), 'utf8').includes('oops'), 'a bad plan is never rewritten');
});

test.run();
