// core/glob: `publish --exclude` patterns: * within a name, ? one character, ** any folders; anchored when they hold /.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compileGlobs } from '../../src/core/glob.js';
import { UpdateError } from '../../src/core/errors.js';

test('each pattern against paths it must and must not match', () => {
  const table: [string, string[], string[]][] = [
    ['*.log', ['a.log', 'repository/logs/x.log'], ['a.logx', 'a.log/b', 'alog']],
    ['repository/deployment/server/**', ['repository/deployment/server', 'repository/deployment/server/a/b.xml'], ['repository/deployment/serverx', 'x/repository/deployment/server/a']],
    ['**/tmp', ['tmp', 'a/tmp', 'a/b/tmp'], ['tmpx', 'a/tmp/b']],
    ['lib/*.jar', ['lib/a.jar'], ['lib/x/a.jar', 'a/lib/a.jar']],
    ['?.txt', ['a.txt', 'x/b.txt'], ['ab.txt', '/.txt']],
    ['a+b(c).[x]', ['a+b(c).[x]'], ['aab(c).x', 'a+b(c)x[x]']],
    ['logs/', ['logs', 'x/logs'], ['logs/a']],
    ['a/**/z', ['a/z', 'a/b/z', 'a/b/c/z'], ['b/a/z', 'a/zz']],
  ];
  for (const [pattern, yes, no] of table) {
    const m = compileGlobs([pattern]);
    for (const p of yes) assert.ok(m(p), `${pattern} should match ${p}`);
    for (const p of no) assert.not.ok(m(p), `${pattern} should not match ${p}`);
  }
});

test('several patterns: any one matching is enough; none at all matches nothing', () => {
  const m = compileGlobs(['*.log', 'tmp/**']);
  assert.ok(m('a.log'));
  assert.ok(m('tmp/x'));
  assert.not.ok(m('lib/a.jar'));
  assert.not.ok(compileGlobs([])('anything'));
});

test('patterns that cannot be relative globs are usage errors that show an example', () => {
  for (const bad of ['', '/etc/**', 'a\\b', '../x', 'a/../../b']) {
    try {
      compileGlobs(['ok', bad]);
      assert.unreachable(bad);
    } catch (err) {
      assert.instance(err, UpdateError);
      assert.is((err as UpdateError).code, 'usage');
      assert.match((err as Error).message, `--exclude ${JSON.stringify(bad)} is not a relative glob`);
      assert.match((err as UpdateError).hint ?? '', '--exclude "*.log"');
    }
  }
});

test.run();
