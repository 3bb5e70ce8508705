// cli/test-pause.ts, the one environment seam for stopping a real run at an exact moment: the points are the pack's
// file-system operations (nothing in apply/ knows of them). Here, in-process: an apply through pausingFs stops with
// the marker written exactly where the point says (staging: files staged, before any journal; 1, the journal written and no step
// run; the last, after the staging folder is gone and before the commit), resumes when the marker is deleted, and
// without both variables nothing is wrapped at all.
import { OWNER } from '../helpers/owner.js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { applyPlan } from '../../src/apply/apply.js';
import { pausingFs } from '../../src/cli/test-pause.js';
import { realFs } from '../../src/io/fsops.js';
import { readState } from '../../src/io/state.js';
import { makeFixture, makeTestPlan } from '../helpers/pack.js';
import { tmpDir } from '../helpers/tmp.js';
import { openPack } from '../../src/io/pack.js';

const NOW = new Date('2024-02-01T10:00:00Z');
const own = (home: string, name: string) => existsSync(join(home, 'updates/wso2update', name));

/** Applies level 1 paused at `point`; calls `there` once paused, then resumes. Whether it paused at all. */
async function applyPausedAt(point: string, there: (home: string) => void): Promise<{ paused: boolean; home: string }> {
  const f = await makeFixture();
  const plan = await makeTestPlan(f, 1);
  const marker = join(tmpDir(), 'paused');
  const ops = pausingFs({ WSO2UPDATE_TEST_PAUSE_AT_STEP: point, WSO2UPDATE_TEST_PAUSE_MARKER: marker }, f.home, realFs);
  let paused = false;
  const watch = setInterval(() => {
    if (paused || !existsSync(marker)) return;
    paused = true;
    there(f.home);
    rmSync(marker);
  }, 5);
  try {
    await applyPlan({ owner: OWNER, pack: openPack(f.home, ops), plan, now: NOW });
  } finally {
    clearInterval(watch);
  }
  assert.is((await readState(openPack(f.home))).level, 1);
  return { paused, home: f.home };
}

test('staging: new files staged (the staging folder synced), no journal yet', async () => {
  const r = await applyPausedAt('staging', (home) => {
    assert.ok(own(home, 'staging'));
    assert.ok(readdirSync(join(home, 'updates/wso2update/staging')).length > 0);
    assert.not.ok(own(home, 'journal.json'));
  });
  assert.ok(r.paused);
});

test('1: the journal written, staging still there; every later point until the commit has the journal; past them, none', async () => {
  let journalAt1 = false;
  let stagingAt1 = false;
  const one = await applyPausedAt('1', (home) => { journalAt1 = own(home, 'journal.json'); stagingAt1 = own(home, 'staging'); });
  assert.ok(one.paused && journalAt1 && stagingAt1);
  let last = 0;
  for (let n = 2; n < 200; n++) {
    let journal = false;
    let staging = true;
    const r = await applyPausedAt(String(n), (home) => { journal = own(home, 'journal.json'); staging = own(home, 'staging'); });
    if (!r.paused) break;
    assert.ok(journal, `point ${n}: no journal`);
    last = n;
    if (!staging) break; // the staging folder's removal: the last point before the commit
  }
  assert.ok(last > 5, `only ${last} points`);
  // The point after the last one is never reached: the journal's deletion ends the count.
  assert.not.ok((await applyPausedAt(String(last + 1), () => undefined)).paused);
});

test('without both variables, or with a point that is no point, nothing is wrapped', () => {
  for (const env of [{}, { WSO2UPDATE_TEST_PAUSE_AT_STEP: '1' }, { WSO2UPDATE_TEST_PAUSE_MARKER: '/tmp/m' }, { WSO2UPDATE_TEST_PAUSE_AT_STEP: 'soon', WSO2UPDATE_TEST_PAUSE_MARKER: '/tmp/m' }]) {
    assert.is(pausingFs(env, '/home', realFs), realFs, JSON.stringify(env));
  }
});

test.run();
