// Review regressions in the applier: a tampered plan's content checked by applyPlan itself (not only by the CLI).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { planDigest } from '../../src/core/canonical.js';
import type { Action } from '../../src/core/model.js';
import { writePlan } from '../../src/io/planfile.js';
import { makeFixture, makeTestPlan, snapshot, snapshotDiff } from '../helpers/pack.js';
import { runCli, tmpDir } from '../helpers/tmp.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));
const sha = (b: string) => createHash('sha256').update(b).digest('hex');

/** A plan whose lib/a.jar replace installs level 0's jar (a blob the repository has) under level 1's name. */
async function downgradePlan(f: Awaited<ReturnType<typeof makeFixture>>) {
  const p = await makeTestPlan(f, 1);
  const a = p.actions.find((x) => x.path === 'lib/a.jar') as Extract<Action, { action: 'replace' }>;
  a.after = { kind: 'file', sha256: sha('jar-a-v1'), size: 8, mode: '0644' };
  p.digest = planDigest(p);
  return p;
}

test('R4: applyPlan refuses an action whose content is not the target manifest\'s (digest recomputed), nothing changed', async () => {
  const f = await makeFixture();
  const before = full(f.home);
  const err = await applyPlan({ home: f.home, plan: await downgradePlan(f), now: NOW }).catch((e) => e);
  assert.is(err?.code, 'verification', String(err));
  assert.match(err.message, 'not what levels 0 and 1 ship');
  assert.match(err.detail, 'lib/a.jar');
  assert.equal(snapshotDiff(before, full(f.home)), []);
});

test('R4: the CLI still refuses it (exit 7) and show renders it', async () => {
  const f = await makeFixture();
  const file = join(tmpDir(), 'plan.json');
  await writePlan(file, await downgradePlan(f));
  assert.is((await runCli(['show', file])).code, 0);
  const r = await runCli(['apply', file, '--home', f.home]);
  assert.is(r.code, 7, r.stderr);
  assert.is(readFileSync(join(f.home, 'lib/a.jar'), 'utf8'), 'jar-a-v1');
});

test.run();
