// cli/commands/keygen: ed25519 keys for the four TUF roles, private files 0600, never printed, never overwritten.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { run } from '../../../src/cli/commands/keygen.js';
import { UpdateError } from '../../../src/core/errors.js';
import { cliContext } from '../../helpers/cli-context.js';
import { tmpDir } from '../../helpers/tmp.js';
import { thrown } from '../../helpers/thrown.js';

const refusal = (cwd: string, opts: Record<string, unknown>): Promise<UpdateError> => thrown(() => run(cliContext(cwd), [], opts), 'usage');

test('four keys, each 0600; only key ids printed; a second run into the same folder refused, keys unchanged', async () => {
  const d = tmpDir();
  const ctx = cliContext(d);
  assert.is(await run(ctx, [], { keys: 'keys' }), 0);
  const dir = join(d, 'keys');
  const files = readdirSync(dir).sort();
  assert.is(files.length, 4);
  const secrets = files.map((f) => readFileSync(join(dir, f), 'utf8'));
  for (const f of files) assert.is(statSync(join(dir, f)).mode & 0o777, 0o600, f);
  const printed = ctx.out() + ctx.err();
  for (const s of secrets) {
    // PKCS#8 PEM: the base64 body is the private key.
    const body = s.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, '');
    assert.ok(s.startsWith('-----BEGIN PRIVATE KEY-----') && body.length > 40, s.slice(0, 40));
    assert.not.match(printed, body.slice(0, 24));
  }
  const again = await refusal(d, { keys: 'keys' });
  assert.match(again.message, 'already holds keys');
  assert.equal(readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), 'utf8')), secrets);
});

test('usage refusals: no --keys, an unknown role to rotate, a rotation without --repo', async () => {
  const d = tmpDir();
  assert.match((await refusal(d, {})).message, 'keygen needs --keys DIR');
  assert.match((await refusal(d, { keys: 'k', rotate: 'admin' })).message, '--rotate must be one of root, ');
  assert.match((await refusal(d, { keys: 'k', rotate: 'timestamp' })).message, 'keygen --rotate needs --repo DIR');
});

test.run();
