// channel/credentials: WSO2's order (-u/-p, then UPDATE_TOOL_USERNAME/PASSWORD, then a prompt on a terminal only),
// and the operator asked once per run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolveCredentials } from '../../src/channel/credentials.js';

function recorder(answers: string[]) {
  const asked: [string, boolean][] = [];
  return { asked, prompt: async (q: string, hidden: boolean) => { asked.push([q, hidden]); return answers.shift() ?? ''; } };
}

test('flags beat the environment; both halves known up front are sent with every request, nothing asked', () => {
  const env = { UPDATE_TOOL_USERNAME: 'envuser', UPDATE_TOOL_PASSWORD: 'envpass' };
  assert.equal(resolveCredentials({ env }), { given: { username: 'envuser', password: 'envpass' } });
  assert.equal(resolveCredentials({ username: 'u', password: 'p', env }), { given: { username: 'u', password: 'p' } });
  assert.equal(resolveCredentials({ username: 'u', env }), { given: { username: 'u', password: 'envpass' } });
  // An empty variable is no value (a `export UPDATE_TOOL_PASSWORD=` must not send an empty password).
  assert.equal(resolveCredentials({ env: { UPDATE_TOOL_USERNAME: 'x', UPDATE_TOOL_PASSWORD: '' } }), {});
});

test('no terminal: nothing to ask with, so nothing is sent', () => {
  assert.equal(resolveCredentials({ username: 'u', env: {} }), {});
  assert.equal(resolveCredentials({ env: {} }), {});
});

test('on a terminal: asked at the first 401, the password hidden, the user name trimmed, and once for the run', async () => {
  const r = recorder([' admin ', 's3cret']);
  const c = resolveCredentials({ env: {}, prompt: r.prompt });
  assert.is(c.given, undefined);
  const [a, b] = await Promise.all([c.ask!(), c.ask!()]);
  assert.equal(a, { username: 'admin', password: 's3cret' });
  assert.is(a, b);
  assert.equal(await c.ask!(), a);
  assert.equal(r.asked, [['Repository user name: ', false], ['Password for admin: ', true]]);
});

test('a user name given: only the password is asked; an empty user name answer: no credentials', async () => {
  const r = recorder(['pw']);
  assert.equal(await resolveCredentials({ username: 'ops', env: {}, prompt: r.prompt }).ask!(), { username: 'ops', password: 'pw' });
  assert.equal(r.asked, [['Password for ops: ', true]]);
  const e = recorder(['   ']);
  assert.is(await resolveCredentials({ env: {}, prompt: e.prompt }).ask!(), undefined);
  assert.is(e.asked.length, 1);
});

test.run();
