// channel/http/settings: the run's HTTP settings, set once by cli/ and read where a repository URL is opened.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { configureHttp, httpSettings } from '../../../src/channel/http/settings.js';

test('empty until configured; the last configuration is what every later open reads', () => {
  assert.equal(httpSettings(), { env: {} });
  const first = { env: { HTTPS_PROXY: 'http://127.0.0.1:3128' } };
  configureHttp(first);
  assert.is(httpSettings(), first);
  const second = { env: {}, allowHttp: true };
  configureHttp(second as never);
  assert.is(httpSettings(), second);
});

test.run();
