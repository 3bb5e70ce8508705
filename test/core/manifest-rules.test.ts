// core/manifest-rules: what no update channel may ship, whatever its schema allows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { assertManifestRules, linkTargetProblem, modesFrom, MODES, withoutModes } from '../../src/core/manifest-rules.js';
import { UpdateError } from '../../src/core/errors.js';
import type { Entry, Manifest } from '../../src/core/model.js';

const file = (mode = '0644'): Entry => ({ kind: 'file', sha256: 'a'.repeat(64), size: 1, mode } as Entry);
const link = (target: string): Entry => ({ kind: 'symlink', target });

function refusal(files: Record<string, Entry>): UpdateError {
  try {
    assertManifestRules(files, 'level 3 manifest');
  } catch (err) {
    assert.instance(err, UpdateError);
    return err as UpdateError;
  }
  throw new Error(`accepted: ${JSON.stringify(files)}`);
}

test('modes 0644 and 0755 only', () => {
  assert.equal(MODES, ['0644', '0755']);
  assertManifestRules({ 'bin/a.sh': file('0755'), 'lib/a.jar': file('0644') }, 'm');
  for (const mode of ['0777', '0000', '0600', '644', 'rwx']) {
    const e = refusal({ 'lib/a.jar': file(mode) });
    assert.is(e.code, 'invalid-input');
    assert.match(e.message, `level 3 manifest: "lib/a.jar" has mode "${mode}"; manifests ship 0644 or 0755 only`);
  }
});

test('runtime data and the tool\'s own state are never shipped', () => {
  for (const p of ['updates/wso2update/state.json', 'repository/logs/wso2carbon.log', 'tmp/x', 'repository/database/WSO2.h2.db', 'wso2carbon.pid']) {
    assert.match(refusal({ [p]: file() }).message, 'is runtime data or the tool\'s own state', p);
  }
});

test('symlink targets: relative and inside the pack, from the link\'s own folder', () => {
  const table: [string, string, string | null][] = [
    ['lib/current.jar', 'a.jar', null],
    ['lib/current.jar', '../bin/x', null],
    ['lib/x/y', '../../z', null],
    ['lib/current.jar', '../../etc', 'climbs out of the pack'],
    ['top', '..', 'climbs out of the pack'],
    ['lib/a', 'b/../../../x', 'climbs out of the pack'],
    ['lib/a', '/etc/passwd', 'is absolute (or a drive or backslash path)'],
    ['lib/a', 'C:/x', 'is absolute (or a drive or backslash path)'],
    ['lib/a', 'x\\y', 'is absolute (or a drive or backslash path)'],
    ['lib/a', 'x\0y', 'contains a NUL character'],
  ];
  for (const [p, t, why] of table) assert.is(linkTargetProblem(p, t), why, `${p} -> ${t}`);
  assert.match(refusal({ 'lib/current.jar': link('../../etc') }).message, '"lib/current.jar" is a symlink whose target "../../etc" climbs out of the pack');
});

test('no entry below a shipped file or symlink; several problems: the first named, the count and a detail list', () => {
  assert.match(refusal({ 'lib/a.jar': file(), 'lib/a.jar/x': file() }).message, '"lib/a.jar/x" is inside "lib/a.jar", which the manifest ships as a file');
  const many: Record<string, Entry> = {};
  for (let i = 0; i < 30; i++) many[`lib/${i}.jar`] = file('0777');
  const e = refusal(many);
  assert.match(e.message, '(and 29 more)');
  assert.is(e.detail?.split('\n').length, 20);
  assert.match(e.hint ?? '', 'nothing was changed');
});

test('modesFrom: a file keeps the mode the level before shipped at that path, else 0644; symlinks as they are', () => {
  const prev = { 'bin/run.sh': file('0755'), 'lib/was-link': link('x') };
  const out = modesFrom(prev, { 'bin/run.sh': file('0644'), 'bin/new.sh': file('0755'), 'lib/was-link': file('0755'), 'lib/l': link('a') });
  assert.is((out['bin/run.sh'] as { mode: string }).mode, '0755');
  assert.is((out['bin/new.sh'] as { mode: string }).mode, '0644');
  assert.is((out['lib/was-link'] as { mode: string }).mode, '0644');
  assert.equal(out['lib/l'], link('a'));
  assert.is((modesFrom(null, { 'a': file('0755') }).a as { mode: string }).mode, '0644');
  assert.is((modesFrom({ ['__proto__']: file('0755') } as Record<string, Entry>, { b: file() }).b as { mode: string }).mode, '0644');
});

test('withoutModes: every file 0644 for the comparison; the input manifest is untouched', () => {
  const m = { product: 'p', level: 1, files: { 'bin/a.sh': file('0755'), l: link('x') } } as unknown as Manifest;
  const w = withoutModes(m);
  assert.is((w.files['bin/a.sh'] as { mode: string }).mode, '0644');
  assert.equal(w.files.l, link('x'));
  assert.is((m.files['bin/a.sh'] as { mode: string }).mode, '0755');
});

test.run();
