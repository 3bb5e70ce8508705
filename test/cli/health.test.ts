// cli/health: the --health-cmd and --health-timeout flags; the check itself is tested through apply
// (test/cli/apply/health-gate.test.ts, test/apply/health-gate.test.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DEFAULT_HEALTH_TIMEOUT_S, optHealth } from '../../src/cli/health.js';
import { thrownSync } from '../helpers/thrown.js';

test('no check, a check with the default timeout, a check with its own', () => {
  assert.is(optHealth({}), undefined);
  assert.equal(optHealth({ healthCmd: 'curl -fsS x' }), { cmd: 'curl -fsS x', timeoutS: DEFAULT_HEALTH_TIMEOUT_S });
  assert.equal(optHealth({ healthCmd: 'x', healthTimeout: '2.5' }), { cmd: 'x', timeoutS: 2.5 });
  assert.equal(optHealth({ healthCmd: 'x', healthTimeout: 86400 }), { cmd: 'x', timeoutS: 86400 });
});

test('refused before anything is applied: a timeout without a check, an empty check, timeouts out of range or not numbers', () => {
  assert.match(thrownSync(() => optHealth({ healthTimeout: 5 }), 'usage').message, '--health-timeout goes with --health-cmd');
  assert.match(thrownSync(() => optHealth({ healthCmd: '   ' }), 'usage').message, '--health-cmd is empty');
  for (const t of [0, -1, 86401, 'soon', 'Infinity', '']) {
    const e = thrownSync(() => optHealth({ healthCmd: 'x', healthTimeout: t }), 'usage');
    assert.match(e.message, '--health-timeout must be a number of seconds above 0 (at most 86400)', String(t));
  }
});

test.run();
