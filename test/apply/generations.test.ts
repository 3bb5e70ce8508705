// apply/generations.ts: the state a commit records (its run appended, the oldest dropped beyond keepGenerations,
// what a revert consumed removed), the state record's shape, a revert's id, and the kept copies checked before a
// revert restores them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newState, recordOf, restoreSource, revertIdentity, verifyKept } from '../../src/apply/generations.js';
import { sha256Hex } from '../../src/core/canonical.js';
import type { GenerationRecord, PackState, RunIdentity } from '../../src/core/model.js';
import { realFs } from '../../src/io/fsops.js';
import { tmpDir } from '../helpers/tmp.js';

const D = 'a'.repeat(64);
const run = (fromLevel: number, toLevel: number): RunIdentity => ({ planDigest: D, direction: 'update', product: 'wso2am-4.2.0', fromLevel, toLevel });
const state = (gens: GenerationRecord[], keepGenerations = 3) => ({ level: gens.at(-1)?.toLevel ?? 0, serial: 7, keepGenerations, manifestDigest: D, generations: gens }) as unknown as PackState;

test('recordOf: the run without its product, in the key order state.json has always had', () => {
  const r = recordOf('g8-1-2', run(1, 2), '2024-02-01T10:00:00.000Z');
  assert.equal(Object.keys(r), ['id', 'fromLevel', 'toLevel', 'planDigest', 'committedAt', 'direction']);
  assert.equal(r, { id: 'g8-1-2', fromLevel: 1, toLevel: 2, planDigest: D, committedAt: '2024-02-01T10:00:00.000Z', direction: 'update' });
});

test('newState: serial + 1, the new level, the record appended and the oldest beyond keepGenerations dropped', () => {
  const gens = [recordOf('g1-0-1', run(0, 1), 't'), recordOf('g2-1-2', run(1, 2), 't'), recordOf('g3-2-3', run(2, 3), 't')];
  const { state: s, drop } = newState(state(gens), recordOf('g8-3-4', run(3, 4), 't'), 'b'.repeat(64));
  assert.equal([s.level, s.serial, s.manifestDigest], [4, 8, 'b'.repeat(64)]);
  assert.equal(s.generations.map((g) => g.id), ['g2-1-2', 'g3-2-3', 'g8-3-4']);
  assert.equal(drop, ['g1-0-1']);
  // A revert consumes what it undid; without drift its own record is not kept; keepGenerations below 1 keeps 1.
  const rev = newState(state(gens), recordOf('g8-r3-1', { ...run(3, 1), direction: 'revert' }, 't'), D, { remove: ['g3-2-3', 'g2-1-2'], keepRecord: false });
  assert.equal([rev.state.level, rev.state.generations.map((g) => g.id), rev.drop], [1, ['g1-0-1'], ['g3-2-3', 'g2-1-2']]);
  assert.equal(newState(state(gens, 0), recordOf('x', run(3, 4), 't'), D).state.generations.map((g) => g.id), ['x']);
});

test('revertIdentity: the id names the serial and the levels; the stand-in digest differs per serial', () => {
  const a = revertIdentity(state([]), 'g3-2-3', 2, 3);
  assert.is(a.id, 'g8-r3-2');
  assert.is.not(a.planDigest, revertIdentity({ ...state([]), serial: 8 }, 'g3-2-3', 2, 3).planDigest);
});

test('verifyKept: a kept copy replaced, resized, missing or made a folder is refused before anything is written', async () => {
  const gen = join(tmpDir(), 'gen');
  mkdirSync(join(gen, 'files/lib'), { recursive: true });
  const body = Buffer.from('kept jar');
  const file = { kind: 'file' as const, sha256: sha256Hex(body), size: body.length, mode: '0644' };
  const item = (path: string) => ({ path, before: { kind: 'absent' as const }, after: file, source: restoreSource(gen, path, file) });
  writeFileSync(join(gen, 'files/lib/good.jar'), body);
  await verifyKept(realFs, [item('lib/good.jar')]);
  writeFileSync(join(gen, 'files/lib/swapped.jar'), 'evil jar');
  writeFileSync(join(gen, 'files/lib/longer.jar'), Buffer.concat([body, Buffer.from('!')]));
  mkdirSync(join(gen, 'files/lib/dir.jar'));
  const err = await verifyKept(realFs, ['lib/good.jar', 'lib/swapped.jar', 'lib/longer.jar', 'lib/missing.jar', 'lib/dir.jar'].map(item)).catch((e) => e);
  assert.is(err.code, 'verification');
  assert.equal(err.paths, ['lib/swapped.jar', 'lib/longer.jar', 'lib/missing.jar', 'lib/dir.jar']);
  assert.match(err.hint, 'nothing was changed');
  assert.equal(restoreSource(gen, 'l', { kind: 'symlink', target: 'x' }), { kind: 'symlink', target: 'x' });
  assert.is(restoreSource(gen, 'l', { kind: 'absent' }), null);
});

test.run();
