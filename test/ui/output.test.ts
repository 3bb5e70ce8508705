// ui/output.ts: the one spelling of --json output, and JSON only when asked for (the value is not even built else).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jsonIf, jsonText } from '../../src/ui/output.js';

test('two-space indented JSON with one trailing newline', () => {
  assert.is(jsonText({ a: [1, 'x'], b: null }), '{\n  "a": [\n    1,\n    "x"\n  ],\n  "b": null\n}\n');
  assert.is(jsonText('a"\n'), '"a\\"\\n"\n');
});

test('jsonIf: nothing on stdout without --json, and the value is built only when asked for', () => {
  let built = 0;
  assert.is(jsonIf(false, () => { built++; return {}; }), '');
  assert.is(built, 0);
  assert.is(jsonIf(true, () => { built++; return { ok: true }; }), '{\n  "ok": true\n}\n');
  assert.is(built, 1);
});

test.run();
