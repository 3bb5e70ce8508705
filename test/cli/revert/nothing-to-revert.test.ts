// Issue 8 (a new user's first hour): `revert --to-level 0` that never ended on a pack where an empty apply had taken
// a generation, and the two ways of saying "nothing to revert".
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, snapshot, snapshotDiff } from '../../helpers/pack.js';
import { atLevel1, full, stateOf } from '../../helpers/pack-cli.js';
import { runCli } from '../../helpers/tmp.js';

test('revert --to-level 0 ends on a pack where an empty apply once took a generation (1 -> 1)', async () => {
  const f = await atLevel1();
  const pristine = await makeFixture();
  // What an empty apply recorded before the fix: a generation 1 -> 1 that changed no pack file, kept the level-1
  // manifest copy, and moved the serial.
  const state = stateOf(f.home);
  const id = `g${state.serial + 1}-1-1`;
  const dir = join(f.home, 'updates/wso2update/generations', id);
  const digest = 'e'.repeat(64);
  cpSync(join(f.home, 'updates/wso2update/manifest.json'), join(dir, 'files/updates/wso2update/manifest.json'), { recursive: true });
  writeFileSync(join(dir, 'generation.json'), JSON.stringify({ formatVersion: 1, id, planDigest: digest, direction: 'update', product: state.product, fromLevel: 1, toLevel: 1, entries: [] }));
  state.generations.push({ id, fromLevel: 1, toLevel: 1, planDigest: digest, committedAt: '2026-11-30T00:00:00.000Z', direction: 'update' });
  state.serial += 1;
  writeFileSync(join(f.home, 'updates/wso2update/state.json'), JSON.stringify(state, null, 2));

  const dry = await runCli(['revert', '--home', f.home, '--to-level', '0', '--dry-run']);
  assert.is(dry.code, 0, dry.stderr);
  assert.match(dry.stderr, 'Would revert 2 updates: level 1 -> 0');
  const started = Date.now();
  const r = await runCli(['revert', '--home', f.home, '--to-level', '0', '--yes']);
  assert.is(r.code, 4, r.stderr);
  assert.ok(Date.now() - started < 60_000, 'took over a minute');
  assert.is(stateOf(f.home).level, 0);
  const skip = (rel: string) => rel.startsWith('updates/');
  assert.equal(snapshotDiff(snapshot(pristine.home, skip), snapshot(f.home, skip)), [], 'the pack is level 0 again');
});

test('plain revert and revert --to-level agree on "nothing to revert" (exit 1, nothing changed)', async () => {
  const f = await makeFixture();
  const before = full(f.home);
  for (const args of [['revert'], ['revert', '--to-level', '0'], ['--revert']]) {
    const r = await runCli([...args, '--home', f.home, '--yes']);
    assert.is(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /^Error: nothing to revert: /, args.join(' '));
    assert.not.match(r.stderr, 'Reverted');
  }
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test.run();
