// Command-line values are validated at the boundary: a bad one is a usage error naming the flag.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { optLevel, optPolicy, optSha256, optString } from '../../src/cli/options.js';
import { UpdateError } from '../../src/core/errors.js';

const throwsUsage = (fn: () => unknown, re: RegExp) => {
  try {
    fn();
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, 'usage');
    assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable('expected a usage error');
};

test('levels: whole numbers and WSO2 <version>.<level>', () => {
  const cases: [unknown, number | undefined][] = [[undefined, undefined], [0, 0], [7, 7], ['12', 12], ['4.2.0.45', 45]];
  for (const [v, want] of cases) assert.is(optLevel({ level: v }, 'level', 'level', 'wso2am-4.2.0'), want);
});

test('levels: fractions (1.10 mangled to 1.1), negatives, words and other versions are refused', () => {
  for (const v of [1.1, -1, 'one', '1.10', '', true]) throwsUsage(() => optLevel({ level: v }, 'level', 'level'), /--level/);
  throwsUsage(() => optLevel({ level: '4.1.0.3' }, 'level', 'level', 'wso2am-4.2.0'), /this pack is wso2am-4.2.0/);
});

test('conflict policy', () => {
  assert.is(optPolicy({}), 'stop');
  assert.is(optPolicy({ onConflict: 'keep-mine' }), 'keep-mine');
  assert.is(optPolicy({ onConflict: 'take-theirs' }), 'take-theirs');
  throwsUsage(() => optPolicy({ onConflict: 'theirs' }), /on-conflict/);
});

test('strings and digests', () => {
  assert.is(optString({ out: 5 }, 'out'), '5');
  throwsUsage(() => optString({ out: ['a', 'b'] }, 'out'), /given once/);
  throwsUsage(() => optString({ out: true }, 'out'), /followed by a value/);
  assert.is(optSha256({ d: 'A'.repeat(64) }, 'd', 'expect-digest'), 'a'.repeat(64));
  throwsUsage(() => optSha256({ d: 'abc' }, 'd', 'expect-digest'), /expect-digest/);
});

test.run();
