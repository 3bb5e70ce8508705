// The applier end to end in-process: a real pack and repository, a plan from the core planner, and the pack
// compared byte for byte with the published tree afterwards.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { readBaseManifest, readState } from '../../src/io/state.js';
import { manifestRel } from '../../src/core/layout.js';
import { sha256Hex } from '../../src/core/canonical.js';
import { LEVEL1, PRODUCT, makeFixture, makeTestPlan, snapshot, snapshotDiff, targetManifest, writeTree } from '../helpers/pack.js';
import { tmpDir } from '../helpers/tmp.js';
import { openPack } from '../../src/io/pack.js';
import { realFs } from '../../src/io/fsops.js';
import { withFaults } from '../helpers/faults.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const packOnly = (r: string) => r.startsWith('updates');

test('apply lands the target level exactly and commits state, config and changelog', async () => {
  const f = await makeFixture();
  const plan = await makeTestPlan(f, 1);
  const out = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan, now: NOW });
  assert.is(out.status, 'applied');
  const expected = tmpDir();
  writeTree(expected, LEVEL1);
  // A removal leaves its folder: folders are not shipped entries, and revert puts the file back into it.
  assert.equal(snapshotDiff(snapshot(f.home, packOnly), snapshot(expected)), ['repository/components/old']);
  assert.is(snapshot(f.home, packOnly).get('repository/components/old'), 'empty-dir');
  const state = await readState(openPack(f.home));
  assert.is(state.level, 1);
  assert.is(state.serial, 1);
  assert.is(state.generations.length, 1);
  assert.is(JSON.parse(readFileSync(join(f.home, 'updates/config.json'), 'utf8'))['update-level'], '1');
  const log = readFileSync(join(f.home, 'updates/changelog-0000-0001.md'), 'utf8');
  assert.match(log, '- **Update levels:** 0000 -> 0001');
  assert.match(log, '## Removed Files (1)');
  for (const leftover of ['journal.json', 'staging', 'lock']) assert.not.ok(existsSync(join(f.home, 'updates/wso2update', leftover)), leftover);
});

test('apply reads each file it relies on once: the re-derivation\'s hashes serve the precondition check', async () => {
  const f = await makeFixture();
  const plan = await makeTestPlan(f, 1);
  const probe = withFaults(realFs);
  await applyPlan({ owner: OWNER, pack: openPack(f.home, probe), plan, now: NOW });
  const files = Object.entries(plan.preconditions).filter(([, o]) => o.kind === 'file').map(([p]) => join(f.home, p));
  assert.ok(files.length >= 3, `only ${files.length} file preconditions`);
  const hashed = (abs: string) => probe.log.filter((l) => l === `hashFile ${abs}`).length;
  // Twice was the cost before: the re-derivation hashed every precondition, then the executor hashed them again.
  assert.equal(files.filter((abs) => hashed(abs) !== 1).map((abs) => `${abs}: ${hashed(abs)}`), []);
});

test('the pack\'s manifest copy is the published manifest byte for byte: its sha256 is the digest the new state records', async () => {
  const f = await makeFixture();
  await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW });
  const copy = readFileSync(join(f.home, 'updates/wso2update/manifest.json'));
  // Before, the copy was the parsed manifest serialized again (plus a newline): an 8 MB string at 48,000 files.
  assert.ok(copy.equals(readFileSync(join(f.repo, manifestRel(PRODUCT, 1)))), 'the copy differs from the published bytes');
  const state = await readState(openPack(f.home));
  assert.is(sha256Hex(copy), state.manifestDigest);
  // What a later reader checks of it (status --verify, the next plan's base) reads it as the level it names.
  assert.equal(await readBaseManifest(openPack(f.home)), await targetManifest(f, 1));
});

test.run();
