// ui/health: what `apply --health-cmd` says while the check runs and once it is decided; secrets in the command or
// its output never printed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { healthFailureDetail, writeHealthPassed, writeHealthSkipped, writeHealthStart } from '../../src/ui/health.js';
import type { HealthResult } from '../../src/core/health.js';
import { sink } from '../helpers/sink.js';

const r = (over: Partial<HealthResult>): HealthResult => ({ ok: false, exitCode: null, signal: null, timedOut: false, aborted: false, seconds: 2, tail: [], ...over });

test('start, pass and skip lines; a properties-style password in the command masked (the masker cuts the line there)', () => {
  const out = sink();
  writeHealthStart(out, 'DB_PASSWORD=hunter2 ./check.sh', '/opt/wso2am', 30);
  writeHealthPassed(out, r({ ok: true, exitCode: 0 }));
  writeHealthSkipped(out);
  assert.is(out.text(), [
    'Health check: running `DB_PASSWORD=********` in /opt/wso2am (timeout 30 s) ...',
    'Health check passed in 2.0 s; the update stays.',
    'Health check not run: the plan made no changes.',
    '',
  ].join('\n'));
});

test('exit 8\'s detail: the verdict and the revert, the files kept, the last lines masked; or that it wrote nothing', () => {
  const reverted = { fromLevel: 2, toLevel: 1, drifted: ['conf/a.toml', 'bin/x.sh'], generation: 'g3-2-1' };
  assert.is(healthFailureDetail('probe', r({ exitCode: 1, tail: ['down', 'secret=abc'] }), reverted), [
    '`probe` exited 1 after 2.0 s; the update was reverted (level 2 -> 1).',
    'Files changed since the commit were kept in generation g3-2-1: conf/a.toml, bin/x.sh',
    'Last lines of its output:',
    '| down',
    '| secret=********',
  ].join('\n'));
  assert.is(healthFailureDetail('probe', r({ timedOut: true }), { ...reverted, drifted: [] }),
    '`probe` timed out after 2.0 s (its process group was stopped); the update was reverted (level 2 -> 1).\nIt wrote no output.');
});

test.run();
