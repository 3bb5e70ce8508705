// A real repository (made by the real publish) with levels 0, 1 and 2, and a pack adopted at level 0 whose files
// hit every row of DESIGN.md's decision table when planned toward level 1. Used by the planning and CLI tests.
import { mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PackState } from '../../src/core/model.js';
import { publish } from '../../src/publish/level.js';
import { openRepository } from '../../src/channel/open.js';
import { writeBaseManifest, writeState } from '../../src/io/state.js';
import { writeTree, type TreeSpec } from './pack.js';
import { tmpDir } from './tmp.js';
import { openPack } from '../../src/io/pack.js';

type Tree = TreeSpec;

const CLEAN0 = 'password = "p0"\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\n';

/** Level 0: what the pack was installed from. */
export const LEVEL0: Tree = {
  'bin/run.sh': 'echo 0\n',
  'lib/a.jar': '\0jar-a0',
  'lib/old.jar': '\0old',
  'conf/clean.toml': CLEAN0,
  'conf/overlap.toml': 'x = 1\n',
  'lib/custom.jar': '\0c0',
  'templates/t.xml.j2': '<t>0</t>\n',
  'conf/gone.xml': '<g/>\n',
  'conf/deleted.xml': '<d>0</d>\n',
  'conf/link.txt': 'l0\n',
  'web/sub/page.html': '<p>0</p>\n',
  'conf/dir.xml': '<x/>\n',
  'conf/already.xml': '<a>0</a>\n',
  'conf/same.xml': '<s/>\n',
};

/** Level 1: every kind of change against level 0. */
export const LEVEL1: Tree = {
  ...LEVEL0,
  'bin/run.sh': { text: 'echo 0\n', mode: 0o755 },
  'lib/a.jar': '\0jar-a1',
  'lib/new.jar': '\0new',
  'conf/clean.toml': CLEAN0.replace('g = 7', 'g = 70'),
  'conf/overlap.toml': 'x = 2\n',
  'lib/custom.jar': '\0c1',
  'templates/t.xml.j2': '<t>1</t>\n',
  'conf/user.txt': 'shipped\n',
  'conf/deleted.xml': '<d>1</d>\n',
  'conf/link.txt': 'l1\n',
  'web/sub/page.html': '<p>1</p>\n',
  'conf/dir.xml': '<y/>\n',
  'conf/already.xml': '<a>1</a>\n',
};
delete LEVEL1['lib/old.jar'];
delete LEVEL1['conf/gone.xml'];

export const LEVEL2: Tree = { ...LEVEL1, 'lib/a.jar': '\0jar-a2' };

/** What the decision table says for each changed path when the customized pack plans toward level 1. */
export const EXPECTED: Record<string, string> = {
  'bin/run.sh': 'chmod',
  'conf/already.xml': 'nothing',
  'conf/clean.toml': 'merge',
  'conf/deleted.xml': 'conflict:missing-changed',
  'conf/dir.xml': 'conflict:kind-change',
  'conf/gone.xml': 'conflict:removed-customized',
  'conf/link.txt': 'conflict:kind-change',
  'conf/overlap.toml': 'conflict:text-overlap',
  'conf/user.txt': 'conflict:user-file',
  'lib/a.jar': 'replace',
  'lib/custom.jar': 'conflict:binary-customized',
  'lib/new.jar': 'add',
  'lib/old.jar': 'remove',
  'templates/t.xml.j2': 'conflict:not-mergeable',
  'web/sub/page.html': 'conflict:kind-change',
};

/** The user's edits on top of level 0, one per row of the table. */
function customize(home: string): void {
  writeTree(home, {
    'conf/clean.toml': CLEAN0.replace('password = "p0"', 'password = "s3cret"'),
    'conf/overlap.toml': 'x = 3\n',
    'lib/custom.jar': '\0mine',
    'templates/t.xml.j2': '<t>mine</t>\n',
    'conf/user.txt': 'mine\n',
    'conf/gone.xml': '<g>mine</g>\n',
    'conf/already.xml': '<a>1</a>\n',
    'conf/same.xml': '<s>mine</s>\n',
    'extra/notes.txt': 'a user file\n',
  });
  rmSync(join(home, 'conf/deleted.xml'));
  rmSync(join(home, 'conf/link.txt'));
  symlinkSync('clean.toml', join(home, 'conf/link.txt'));
  rmSync(join(home, 'conf/dir.xml'));
  mkdirSync(join(home, 'conf/dir.xml'));
  // A symlinked folder: writing web/sub/page.html would land in the link's target, outside the pack.
  const outside = tmpDir('outside');
  writeTree(outside, { 'page.html': '<p>0</p>\n' });
  rmSync(join(home, 'web/sub'), { recursive: true });
  symlinkSync(outside, join(home, 'web/sub'));
}

export interface PlanPack { repo: string; home: string; state: PackState }

/** Publishes levels 0..2 into a fresh repository and adopts a customized pack at level 0 (as init would record it). */
export async function makePlanPack(opts: { customized?: boolean } = {}): Promise<PlanPack> {
  const root = tmpDir('plan-pack');
  const repo = join(root, 'repo');
  for (const [level, tree] of [LEVEL0, LEVEL1, LEVEL2].entries()) {
    const src = join(root, `tree-${level}`);
    writeTree(src, tree);
    await publish({ repo, product: 'wso2am-4.2.0', level, tree: src, date: `2025-0${level + 1}-15`,
      notes: { title: `Level ${level}`, description: `Update ${level}`, fixes: [{ id: `FIX-${level}`, title: `fix ${level}` }],
        securityAdvisories: level === 1 ? [{ id: 'WSO2-2025-1', severity: 'critical', title: 'password = "leak-me"' }] : [] } });
  }
  const home = join(root, 'home');
  writeTree(home, { ...LEVEL0, 'updates/product.txt': 'wso2am-4.2.0\n' });
  if (opts.customized !== false) customize(home);
  const { manifest, digest } = await (await openRepository(repo)).manifest('wso2am-4.2.0', 0);
  const state: PackState = {
    formatVersion: 1, product: 'wso2am-4.2.0', level: 0, repository: repo, lineage: '00000000-0000-4000-8000-000000000001',
    serial: 0, manifestDigest: digest, generations: [], keepGenerations: 3, allowUnsigned: true,
  };
  mkdirSync(join(home, 'updates/wso2update'), { recursive: true });
  await writeBaseManifest(openPack(home), manifest);
  await writeState(openPack(home), state);
  return { repo, home, state };
}
