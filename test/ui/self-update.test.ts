// ui/self-update: the one line a self-update prints (exit 2 follows), and the warning when the check cannot run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { selfUpdatedLine, selfUpdateSkippedLine } from '../../src/ui/self-update.js';

test('the updated line names both versions, what was replaced and its size, and says to run again', () => {
  assert.is(selfUpdatedLine({ from: '0.1.0', to: '0.2.0', kind: 'code', bytes: 1_572_864 }),
    'wso2update updated itself from 0.1.0 to 0.2.0 (code bundle, 1.5 MB); run the same command again\n');
  assert.match(selfUpdatedLine({ from: '0.1.0', to: '0.2.0', kind: 'executable', bytes: 0 }), '(executable, 0.0 MB)');
});

test('the skipped warning gives the reason and both ways to skip the check offline', () => {
  const line = selfUpdateSkippedLine('connection refused');
  assert.match(line, /^Warning: could not check for a newer wso2update \(connection refused\); going on with this one\./);
  assert.match(line, '--no-self-update');
  assert.match(line, 'WSO2UPDATE_NO_SELF_UPDATE=1');
});

test.run();
