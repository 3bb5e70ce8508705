// A small real pack and repository for the applying half's tests: two or three levels published with the publish
// code, a pack adopted like `init` does, plans made with the core planner, and a full snapshot of a pack (paths,
// bytes, modes, symlinks, empty folders) to prove "exactly before" and "exactly after".
import { chmodSync, cpSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { digestOf } from '../../src/core/canonical.js';
import type { ConflictPolicy, Manifest, PackState, Plan } from '../../src/core/model.js';
import { merge3 } from '../../src/core/merge/merge.js';
import { finishPlan, type MergeOutcome } from '../../src/core/plan/build.js';
import { decide, pathsToInspect } from '../../src/core/plan/planner.js';
import { makePlan } from '../../src/plan/update.js';
import { writePlan } from '../../src/io/planfile.js';
import { publish } from '../../src/publish/level.js';
import { openRepository } from '../../src/channel/open.js';
import { readBaseManifest, readState, setUpdateLevel, writeBaseManifest, writeState } from '../../src/io/state.js';
import { observeMany } from '../../src/io/tree.js';
import { tmpDir } from './tmp.js';
import { openPack } from '../../src/io/pack.js';

export const PRODUCT = 'wso2am-4.2.0';

/** Files of a level: text, or { text, mode }, or { link } for a symlink. */
export type TreeSpec = Record<string, string | { text: string; mode?: number } | { link: string }>;

export function writeTree(root: string, spec: TreeSpec): void {
  for (const [rel, v] of Object.entries(spec)) {
    const abs = join(root, rel);
    mkdirSync(dirname(abs), { recursive: true });
    if (typeof v === 'object' && 'link' in v) symlinkSync(v.link, abs);
    else {
      writeFileSync(abs, typeof v === 'string' ? v : v.text);
      chmodSync(abs, typeof v === 'string' ? 0o644 : v.mode ?? 0o644);
    }
  }
}

export const LEVEL0: TreeSpec = {
  'bin/api-manager.sh': { text: '#!/bin/sh\necho start\n', mode: 0o755 },
  'bin/tool.sh': { text: '#!/bin/sh\necho tool\n', mode: 0o644 },
  'lib/a.jar': 'jar-a-v1',
  'lib/b.jar': 'jar-b-v1',
  'lib/current.jar': { link: 'a.jar' },
  'repository/conf/deployment.toml': '[server]\nhostname = "localhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2"\n',
  'repository/conf/log4j2.properties': 'level = INFO\n',
  'repository/components/old/plugin.jar': 'old-plugin',
};

export const LEVEL1: TreeSpec = {
  'bin/api-manager.sh': { text: '#!/bin/sh\necho start v2\n', mode: 0o755 },
  'bin/tool.sh': { text: '#!/bin/sh\necho tool\n', mode: 0o755 },
  'lib/a.jar': 'jar-a-v2',
  'lib/b.jar': 'jar-b-v1',
  'lib/c.jar': 'jar-c-v1',
  'lib/current.jar': { link: 'c.jar' },
  'repository/conf/deployment.toml': '[server]\nhostname = "localhost"\noffset = 0\n\n[database]\nurl = "jdbc:h2:v2"\n',
  'repository/conf/log4j2.properties': 'level = INFO\n',
  'repository/components/new/deep/plugin.jar': 'new-plugin',
};

export const LEVEL2: TreeSpec = {
  ...LEVEL1,
  'lib/a.jar': 'jar-a-v3',
  'lib/d.jar': 'jar-d-v1',
  'repository/conf/log4j2.properties': 'level = WARN\n',
};

export interface Fixture {
  repo: string;
  home: string;
}

/** A repository with the given levels, and a pack at level 0 adopted as `init` would (optionally customized). */
export async function makeFixture(levels: TreeSpec[] = [LEVEL0, LEVEL1, LEVEL2], custom: TreeSpec = {}): Promise<Fixture> {
  const root = tmpDir('wso2update-apply-');
  const repo = join(root, 'repo');
  for (const [level, spec] of levels.entries()) {
    const tree = join(root, `tree-${level}`);
    writeTree(tree, spec);
    await publish({ repo, product: PRODUCT, level, tree, date: '2024-01-01', notes: { title: `Level ${level}` } as never });
  }
  const home = join(root, 'home');
  cpSync(join(root, 'tree-0'), home, { recursive: true, verbatimSymlinks: true });
  mkdirSync(join(home, 'updates', 'wso2update'), { recursive: true });
  writeFileSync(join(home, 'updates', 'product.txt'), `${PRODUCT}\n`);
  const r = await openRepository(repo);
  const { manifest, digest } = await r.manifest(PRODUCT, 0);
  const state: PackState = {
    formatVersion: 1, product: PRODUCT, level: 0, repository: r.location, lineage: '00000000-0000-4000-8000-000000000001',
    serial: 0, manifestDigest: digest, generations: [], keepGenerations: 3, allowUnsigned: true,
  };
  await writeBaseManifest(openPack(home), manifest);
  await writeState(openPack(home), state);
  await setUpdateLevel(openPack(home), 0, PRODUCT);
  writeTree(home, custom);
  return { repo, home };
}

/** A plan as `plan` makes it (the real planner: apply re-derives every plan, so a shortcut would be refused). */
export async function makeTestPlan(f: Fixture, toLevel: number, policy: ConflictPolicy = 'stop', portable = false): Promise<Plan> {
  return makePlan({ pack: openPack(f.home), repo: f.repo, level: toLevel, policy, portable, now: new Date('2024-01-01T00:00:00.000Z') });
}

/** A fixture and its plan to `toLevel` written to a file of its own, as a CLI test hands `apply PLAN`. */
export async function fixtureWithPlan(toLevel = 1, portable = false): Promise<Fixture & { plan: string }> {
  const f = await makeFixture();
  const plan = join(tmpDir(), 'plan.json');
  await writePlan(plan, await makeTestPlan(f, toLevel, 'stop', portable));
  return { ...f, plan };
}

export async function targetManifest(f: Fixture, level: number): Promise<Manifest> {
  return (await (await openRepository(f.repo)).manifest(PRODUCT, level)).manifest;
}

/** The audit trail records refusals too: like updates/logs, it is outside the promise that a refusal changes nothing. */
export const AUDIT_FOLDER = 'updates/wso2update/audit';

/**
 * Everything a user could see of a tree: per path its kind, bytes, mode or link text; empty folders too. The audit
 * trail (AUDIT_FOLDER) is never part of it: every "nothing changed" assertion means the pack, not its trail.
 */
export function snapshot(root: string, skip: (rel: string) => boolean = (r) => r.startsWith('updates/wso2update')): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    const names = readdirSync(rel ? join(root, rel) : root).sort();
    if (names.length === 0 && rel) out.set(rel, 'empty-dir');
    for (const n of names) {
      const r = rel ? `${rel}/${n}` : n;
      if (skip(r) || r === AUDIT_FOLDER) continue;
      const abs = join(root, r);
      const st = lstatSync(abs);
      if (st.isSymbolicLink()) out.set(r, `link:${readlinkSync(abs)}`);
      else if (st.isDirectory()) walk(r);
      else out.set(r, `file:${(st.mode & 0o777).toString(8)}:${readFileSync(abs).toString('base64')}`);
    }
  };
  walk('');
  return out;
}

export function snapshotDiff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}
