// core/merge/engine: a plan from another merge engine is out of date (plan again), not altered.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertMergeEngine } from '../../../src/core/merge/engine.js';
import { UpdateError } from '../../../src/core/errors.js';
import { MERGE_ENGINE } from '../../../src/core/version.js';

test('the engine of this build passes; any other, none, or a hostile value is a stale plan naming both', () => {
  assertMergeEngine(MERGE_ENGINE);
  const table: [unknown, string][] = [
    [undefined, '(unrecorded)'], ['node-diff3-0.0.1-1', '"node-diff3-0.0.1-1"'], [42, '"42"'], [null, '"null"'],
    ['x'.repeat(1000), `"${'x'.repeat(200)}"... (1000 characters)`],
  ];
  for (const [engine, said] of table) {
    try {
      assertMergeEngine(engine, 'plan.json');
      assert.unreachable(String(engine));
    } catch (err) {
      assert.instance(err, UpdateError);
      assert.is((err as UpdateError).code, 'stale-plan');
      assert.match((err as Error).message, `plan.json was made with merge engine ${said}`);
      assert.match((err as Error).message, `this wso2update merges with ${MERGE_ENGINE}`);
      assert.match((err as UpdateError).hint ?? '', 'Plan again');
    }
  }
});

test.run();
