// The events the progress display draws from, on real packs: staging counts up to exactly its own total (the
// commit's files included), every run goes through its phases in order (`apply --continue` too, which once emitted
// only swap steps, so a terminal showed every task as skipped), and an empty plan emits nothing at all.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPack } from '../../src/io/pack.js';
import { applyPlan } from '../../src/apply/apply.js';
import { continueApply } from '../../src/apply/resolve.js';
import type { ApplyEvent } from '../../src/core/apply-events.js';
import { realFs } from '../../src/io/fsops.js';
import { makeFixture, makeTestPlan } from '../helpers/pack.js';
import { OWNER } from '../helpers/owner.js';

const NOW = new Date('2024-02-01T10:00:00Z');

function recorder() {
  const events: ApplyEvent[] = [];
  return {
    events,
    hooks: { onEvent: (e: ApplyEvent) => events.push(e) },
    phases: () => events.flatMap((e) => (e.type === 'phase' ? [e.phase] : [])),
    bytes: () => events.flatMap((e) => (e.type === 'bytes' ? [e] : [])),
  };
}

function assertStagingEndsAtTotal(bytes: { done: number; total: number }[], what: string): void {
  assert.ok(bytes.length > 0, `${what}: no bytes events`);
  const last = bytes.at(-1) as { done: number; total: number };
  assert.is(last.done, last.total, `${what}: staging ended at ${last.done} of ${last.total}`);
  for (let i = 1; i < bytes.length; i++) assert.ok(bytes[i].done >= bytes[i - 1].done && bytes[i].total === last.total, `${what}: counts go up against one total`);
}

test('apply: check, stage, swap, commit in order; staging ends at 100% of its total, the commit files included', async () => {
  const f = await makeFixture();
  const plan = await makeTestPlan(f, 1);
  const r = recorder();
  const out = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan, now: NOW, hooks: r.hooks });
  assert.is(out.status, 'applied');
  assert.equal(r.phases(), ['check', 'stage', 'swap', 'commit']);
  assertStagingEndsAtTotal(r.bytes(), 'apply');
  const fileBytes = plan.actions.reduce((n, a) => n + ('after' in a && a.after.kind === 'file' ? a.after.size : 0), 0);
  assert.ok((r.bytes().at(-1) as { total: number }).total > fileBytes, 'the total counts the state, manifest copy and changelog too');
});

test('apply --continue: the same phases, its own staging total, after a stop that never reached commit', async () => {
  const f = await makeFixture(undefined, { 'lib/a.jar': 'mine' });
  const first = recorder();
  const out = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 1), now: NOW, hooks: first.hooks });
  assert.is(out.status, 'conflicts');
  assert.equal(first.phases(), ['check', 'stage', 'swap']);
  assertStagingEndsAtTotal(first.bytes(), 'the stopped apply');
  writeFileSync(join(f.home, 'lib/a.jar.final'), readFileSync(join(f.home, 'lib/a.jar.new')));
  const cont = recorder();
  assert.is((await continueApply(openPack(f.home, realFs), cont.hooks)).status, 'applied');
  assert.equal(cont.phases(), ['check', 'stage', 'swap', 'commit']);
  assertStagingEndsAtTotal(cont.bytes(), '--continue');
  assert.ok(cont.events.some((e) => e.type === 'step'));
});

test('an empty plan: no event at all (nothing is drawn), and status "unchanged"', async () => {
  const f = await makeFixture();
  const r = recorder();
  const out = await applyPlan({ owner: OWNER, pack: openPack(f.home), plan: await makeTestPlan(f, 0), now: NOW, hooks: r.hooks });
  assert.is(out.status, 'unchanged');
  assert.equal(r.events, []);
});

test.run();
