// cli/transport-options.ts: the network flags of cli/spec.ts's NETWORK_OPTIONS become the run's HTTP settings; the
// defaults are the ones `--help` prints, and bad values are usage errors that name the flag and change nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PassThrough } from 'node:stream';
import { configureTransport } from '../../src/cli/transport-options.js';
import { NETWORK_OPTIONS } from '../../src/cli/spec.js';
import type { CliContext } from '../../src/cli/context.js';
import { httpSettings } from '../../src/channel/http/settings.js';
import { UpdateError } from '../../src/core/errors.js';

const ctx = { cwd: '/work', env: {}, canPrompt: false, stdin: new PassThrough(), stderr: new PassThrough() } as unknown as CliContext;
const helpDefault = (flag: string): number => Number(NETWORK_OPTIONS.find((o) => o.flags.startsWith(`${flag} `))?.default);

test('without flags: the defaults are the ones the command table (and so --help) names', () => {
  configureTransport(ctx, {});
  const s = httpSettings();
  assert.is(s.connections, helpDefault('--parallel'));
  assert.is(s.connectTimeoutMs, helpDefault('--connect-timeout') * 1000);
  assert.is(s.readTimeoutMs, helpDefault('--read-timeout') * 1000);
  assert.is(s.allowHttp, false);
  assert.is(s.caFile, undefined);
});

test('given flags are read under the keys cac makes of the table\'s flags', () => {
  configureTransport(ctx, { parallel: 3, connectTimeout: '2.5', readTimeout: 9, allowHttp: true, caFile: 'ca.pem' });
  const s = httpSettings();
  assert.equal([s.connections, s.connectTimeoutMs, s.readTimeoutMs, s.allowHttp, s.caFile], [3, 2500, 9000, true, '/work/ca.pem']);
});

test('every flag the table lists is one configureTransport reads (no second list to drift)', () => {
  const keys = NETWORK_OPTIONS.map((o) => /--([a-z-]+)/.exec(o.flags)?.[1]);
  assert.equal(keys, ['ca-file', 'allow-http', 'parallel', 'connect-timeout', 'read-timeout', 'username', 'password']);
});

test('hostile values: out of range, not numbers, fractions of connections, given twice', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ parallel: 0 }, /--parallel must be a number from 1 to 64, got 0/],
    [{ parallel: 65 }, /--parallel must be a number from 1 to 64/],
    [{ parallel: 2.5 }, /--parallel must be a whole number, got 2.5/],
    [{ parallel: '1e3' }, /--parallel must be a number/],
    [{ connectTimeout: 0 }, /--connect-timeout must be a number from 0.1 to 600, got 0/],
    [{ readTimeout: 'forever' }, /--read-timeout must be a number from 0.1 to 3600, got "forever"/],
    [{ readTimeout: 1e9 }, /--read-timeout must be a number from 0.1 to 3600/],
    [{ caFile: ['a.pem', 'b.pem'] }, /--ca-file must be given once/],
    [{ caFile: true }, /--ca-file must be followed by a value/],
  ];
  for (const [opts, re] of cases) {
    configureTransport(ctx, {});
    const before = httpSettings();
    try {
      configureTransport(ctx, opts);
      assert.unreachable(`accepted ${JSON.stringify(opts)}`);
    } catch (err) {
      if (!(err instanceof UpdateError)) throw err;
      assert.is(err.code, 'usage');
      assert.match(err.message, re);
    }
    assert.is(httpSettings(), before, 'a refused value leaves the settings as they were');
  }
});

test.run();
