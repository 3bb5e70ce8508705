// scripts/lib/test-coverage-map.mjs: which src/ modules a test file imports, on a tree made here, and its report on
// this repository.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { coverageMap } from '../../scripts/lib/test-coverage-map.mjs';
import { tmpDir } from '../helpers/tmp.js';

function tree(files: Record<string, string>): string {
  const root = tmpDir();
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

test('static, bare and lazy imports count; type-only imports, helpers\' imports and non-test files do not', () => {
  const root = tree({
    'src/core/a.ts': '', 'src/core/b.ts': '', 'src/io/c.ts': '', 'src/io/d.ts': '', 'src/ui/e.ts': '', 'src/ui/f.ts': '',
    'test/core/a.test.ts': "import { a } from '../../src/core/a.js';\nimport '../../src/io/c.js';\n",
    'test/ui/x.test.ts': "const m = await import('../../src/ui/e.js');\nimport type { T } from '../../src/ui/f.js';\n",
    'test/helpers/h.ts': "import { b } from '../../src/core/b.js';\n",
    'test/core/not-a-test.ts': "import { d } from '../../src/io/d.js';\n",
  });
  const { modules, byModule, viaHelpers } = coverageMap(root);
  assert.equal(modules, ['src/core/a.ts', 'src/core/b.ts', 'src/io/c.ts', 'src/io/d.ts', 'src/ui/e.ts', 'src/ui/f.ts']);
  assert.equal(Object.fromEntries([...byModule].map(([m, t]) => [m, t])), {
    'src/core/a.ts': ['test/core/a.test.ts'], 'src/core/b.ts': [], 'src/io/c.ts': ['test/core/a.test.ts'], 'src/io/d.ts': [],
    'src/ui/e.ts': ['test/ui/x.test.ts'], 'src/ui/f.ts': [],
  });
  assert.ok(viaHelpers.has('src/core/b.ts'));
});

test('the report on this repository: a share line, then the modules no test imports', () => {
  const r = spawnSync(process.execPath, ['scripts/lib/test-coverage-map.mjs'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.match(r.stdout, /^\d+ of \d+ src\/ modules \(\d+\.\d%\) are imported by at least one test file\.\n/);
  const j = spawnSync(process.execPath, ['scripts/lib/test-coverage-map.mjs', '--json'], { encoding: 'utf8' });
  const json = JSON.parse(j.stdout);
  assert.is(json.imported + json.untested.length, json.modules);
  assert.not.ok(json.untested.includes('src/core/quote.ts'), 'test/core/quote.test.ts imports it');
});

test.run();
