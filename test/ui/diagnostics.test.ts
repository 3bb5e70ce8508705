// ui/diagnostics: the one renderer of errors and warnings, for people (stderr) and for --json (stdout).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderDiagnostic, renderError, renderErrorJson } from '../../src/ui/diagnostics.js';
import { UpdateError } from '../../src/core/errors.js';

test('a diagnostic: severity word, summary, indented detail lines, then the hint', () => {
  assert.is(renderDiagnostic({ severity: 'warning', code: 'io', summary: 'S', detail: 'a\nb', hint: 'Do X.' }), 'Warning: S\n\n  a\n  b\n\n  Do X.\n');
  assert.is(renderDiagnostic({ severity: 'info', code: 'io', summary: 'S' }), 'Note: S\n');
});

test('hostile lengths are cut: a summary, each detail line, each path; more than 50 paths counted', () => {
  const long = 'x'.repeat(10_000);
  const out = renderDiagnostic({ severity: 'error', code: 'io', summary: long, detail: long });
  assert.ok(out.length < 1200, String(out.length));
  assert.match(out, '(10000 characters)');
  const paths = Array.from({ length: 80 }, (_, i) => `lib/${i}.jar`);
  const e = renderError(new UpdateError('stale-plan', 'drifted', { paths }));
  assert.match(e, '- lib/49.jar\n');
  assert.not.match(e, 'lib/50.jar');
  assert.match(e, '- ... and 30 more');
});

test('an UpdateError\'s commands made pasteable when the invocation is known; a cause only with --verbose', () => {
  const err = new UpdateError('busy', 'a run is pending: run `wso2update recover`', { hint: 'Or `wso2update status`.', cause: new Error('inner') });
  const text = renderError(err, { invocation: { prog: './wso2update_linux', home: '/opt/am' } });
  assert.match(text, 'Error: a run is pending: run `./wso2update_linux recover --home /opt/am`');
  assert.match(text, '`./wso2update_linux status --home /opt/am`');
  assert.not.match(text, 'cause:');
  assert.match(renderError(err, { verbose: true }), 'cause: Error: inner');
});

test('anything else is a bug report, with the stack only under --verbose', () => {
  const text = renderError(new TypeError('x is undefined'));
  assert.match(text, /^Error: x is undefined\n/);
  assert.match(text, 'This is a bug in wso2update');
  assert.not.match(text, 'at ');
  assert.match(renderError(new TypeError('y'), { verbose: true }), /\n {2}TypeError: y\n {2}\s*at /);
  assert.match(renderError('a string'), 'Error: a string');
});

test('--json: one error object with code, exit code, summary, detail, hint and paths', () => {
  const json = JSON.parse(renderErrorJson(new UpdateError('stale-plan', 'S', { detail: 'D', hint: 'H', paths: ['a'] })));
  assert.equal(json, { error: { code: 'stale-plan', exitCode: 5, summary: 'S', detail: 'D', hint: 'H', paths: ['a'] } });
  assert.equal(JSON.parse(renderErrorJson(new Error('boom'))), { error: { code: 'internal', exitCode: 1, summary: 'boom', detail: null, hint: null, paths: [] } });
});

test.run();
