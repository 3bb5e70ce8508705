// Boundary validation: every format error names the file, the line and column, and the value as it was written;
// every hostile path form is refused; case collisions come back as warnings.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseJsonFile, parseYamlFile, validate, type Warnings } from '../../src/io/validate.js';
import { UpdateError } from '../../src/core/errors.js';

const failure = (fn: () => unknown): UpdateError => {
  try {
    fn();
  } catch (err) {
    assert.instance(err, UpdateError);
    return err as UpdateError;
  }
  throw new Error('expected an UpdateError');
};

const descriptor = (over: string) => `level: 1
date: 2024-01-02
title: Level one
description: ""
fixes: []
securityAdvisories: []
changes: {added: [], modified: [], removed: []}
${over}`;

test('YAML schema errors: file:line:col, what is wrong and the value as written', () => {
  const cases: [string, string, RegExp][] = [
    ['level: 1.10\ndate: 2024-01-02\ntitle: t\ndescription: ""\nfixes: []\nsecurityAdvisories: []\nchanges: {added: [], modified: [], removed: []}\n', 'd.yaml',
      /^d\.yaml:1:8: level must be a whole number, got "1\.10"$/],
    [descriptor('extra: 1\n'), 'd.yaml', /^d\.yaml:8:1: the file has an unknown field "extra"$/],
    [descriptor('').replace('date: 2024-01-02', 'date: 2024-13-02'), 'x/d.yaml', /^x\/d\.yaml:2:7: date must be a date written YYYY-MM-DD, got "2024-13-02"$/],
    [descriptor('').replace('fixes: []', 'fixes:\n  - {id: F-1}'), 'd.yaml', /^d\.yaml:6:5: fixes\[0\] is missing the field "title"$/],
  ];
  for (const [text, file, re] of cases) {
    const err = failure(() => parseYamlFile(text, file, 'descriptor'));
    assert.is(err.code, 'invalid-input');
    assert.match(err.message, re);
    assert.match(err.hint ?? '', /nothing was changed/);
  }
});

test('YAML: dates stay strings (YAML 1.2 core schema), levels are integers', () => {
  const d = parseYamlFile<{ date: unknown; level: unknown }>(descriptor(''), 'd.yaml', 'descriptor');
  assert.is(d.date, '2024-01-02');
  assert.is(d.level, 1);
});

test('YAML syntax errors: file:line:col', () => {
  const err = failure(() => parseYamlFile('title: a\nfixes: [1,\nb: 2\n', 'notes.yaml', 'notes'));
  assert.match(err.message, /^notes\.yaml:3:1: not valid YAML: /);
  const dup = failure(() => parseYamlFile('title: a\ntitle: b\n', 'notes.yaml', 'notes'));
  assert.match(dup.message, /^notes\.yaml:2:1: not valid YAML: .*unique/i);
});

test('JSON syntax errors: file:line:col, with and without a position in V8\'s message', () => {
  const cases: [string, RegExp][] = [
    ['{"a": 1,\n  "b" 2}', /^m\.json:2:7: not valid JSON/],
    ['{"formatVersion": 1,\n "files": {"a": }}', /^m\.json:2:17: not valid JSON \(Unexpected token '}'\)/],
    ['{"a": 1', /^m\.json:1:8: not valid JSON/],
    ['{"a": 1}\nx', /^m\.json:2:1: not valid JSON/],
  ];
  for (const [text, re] of cases) assert.match(failure(() => parseJsonFile(text, 'm.json', 'manifest')).message, re);
});

test('JSON schema errors: file:line:col too', () => {
  const text = '{"formatVersion": 1,\n "product": "wso2am-4.2.0",\n "level": "1.10",\n "files": {}}';
  assert.match(failure(() => parseJsonFile(text, 'm.json', 'manifest')).message, /^m\.json:3:11: level must be a whole number, got "1\.10"$/);
  const bad = '{"formatVersion": 1, "product": "wso2am", "level": 1,\n "files": {"a": {"kind": "file", "sha256": "xy", "size": 1, "mode": "0644"}}}';
  const err = failure(() => parseJsonFile(bad, 'm.json', 'manifest'));
  assert.match(err.message, /^m\.json:1:33: product must be <name>-<x\.y\.z>, like wso2am-4\.2\.0, got "wso2am"$/);
  assert.match(err.detail ?? '', /m\.json:2:44: files\.a\.sha256 must be a sha256/);
});

const manifestWith = (paths: string[]) => ({
  formatVersion: 1, product: 'wso2am-4.2.0', level: 0,
  files: Object.fromEntries(paths.map((p) => [p, { kind: 'symlink', target: 'x' }])),
});

test('every hostile path form is refused (manifest keys and descriptor changes)', () => {
  const cases: [string, RegExp][] = [
    ['../x', /\.\./], ['a/../../x', /\.\./], ['/abs', /absolute/], ['C:/x', /drive/], ['a\\b', /backslash/], ['a//b', /empty segment/],
    ['./a', /"\." segment/], ['a/./b', /"\." segment/], ['a\0b', /NUL/], ['a/', /ends with/],
  ];
  for (const [p, re] of cases) {
    const err = failure(() => validate('manifest', manifestWith([p]), 'm.json'));
    assert.is(err.code, 'hostile-path', p);
    assert.match(err.message, re);
    assert.match(err.message, /^m\.json: /);
    const d = failure(() => parseYamlFile(descriptor('').replace('added: []', `added: [${JSON.stringify(p)}]`), 'd.yaml', 'descriptor'));
    assert.is(d.code, 'hostile-path', p);
  }
});

test('duplicates are refused; case collisions are warnings', () => {
  const dup = failure(() => parseYamlFile(descriptor('').replace('added: []', 'added: [a]').replace('removed: []', 'removed: [a]'), 'd.yaml', 'descriptor'));
  assert.match(dup.message, /listed twice/);
  const warnings: Warnings = [];
  const m = validate<{ files: object }>('manifest', manifestWith(['lib/A.jar', 'lib/a.jar']), 'm.json', warnings);
  assert.equal(Object.keys(m.files), ['lib/A.jar', 'lib/a.jar']);
  assert.is(warnings.length, 1);
  assert.is(warnings[0].severity, 'warning');
  assert.match(warnings[0].summary, /"lib\/A\.jar" and "lib\/a\.jar" differ only in case/);
});

test('index: product and level names are checked', () => {
  const err = failure(() => parseJsonFile('{"formatVersion": 1, "products": {"wso2am-4.2.0": {"levels": {"01": {}}}}}', 'index.json', 'index'));
  assert.match(err.message, /^index\.json:1:\d+: products\["wso2am-4\.2\.0"\]\.levels: the name "01" must be a level number/);
});

test.run();
