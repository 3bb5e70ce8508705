// The UpdateError a call must throw: asserts that it throws one (not another error, not nothing), with the code when
// given, and returns it for the test to check its words. One copy for the unit tests' refusal checks.
import * as assert from 'uvu/assert';
import { UpdateError, type ErrorCode } from '../../src/core/errors.js';

function check(err: unknown, code?: ErrorCode): UpdateError {
  assert.instance(err, UpdateError, String((err as Error)?.stack ?? err));
  if (code !== undefined) assert.is((err as UpdateError).code, code, (err as Error).message);
  return err as UpdateError;
}

/** For a synchronous call. */
export function thrownSync(fn: () => unknown, code?: ErrorCode): UpdateError {
  try {
    fn();
  } catch (err) {
    return check(err, code);
  }
  assert.unreachable(`expected an UpdateError${code ? ` (${code})` : ''}, and nothing was thrown`);
  throw new Error('unreachable');
}

/** For a call that may be asynchronous. */
export async function thrown(fn: () => unknown, code?: ErrorCode): Promise<UpdateError> {
  try {
    await fn();
  } catch (err) {
    return check(err, code);
  }
  assert.unreachable(`expected an UpdateError${code ? ` (${code})` : ''}, and nothing was thrown`);
  throw new Error('unreachable');
}
