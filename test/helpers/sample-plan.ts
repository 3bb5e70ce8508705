// A small but complete plan built by the real planner (remove, clean merge, text conflict, add, binary conflict,
// with level notes), shared by the planner, plan file and show tests so they all speak about the same plan.
import { sha256Hex } from '../../src/core/canonical.js';
import type { ConflictPolicy, Entry, FileEntry, Manifest, Observed, Plan } from '../../src/core/model.js';
import { finishPlan, type MergeOutcome, type PlanMeta } from '../../src/core/plan/build.js';
import { decide } from '../../src/core/plan/planner.js';

export const file = (content: string, mode = '0644'): FileEntry => ({ kind: 'file', sha256: sha256Hex(content), size: Buffer.byteLength(content), mode });
export const manifest = (level: number, files: Record<string, Entry>): Manifest => ({ formatVersion: 1, product: 'wso2am-4.2.0', level, files });
export const ABSENT: Observed = { kind: 'absent' };
export const DIR: Observed = { kind: 'dir' };

export const META: PlanMeta = {
  toolVersion: '0.1.0', createdAt: '2025-01-01T00:00:00.000Z', product: 'wso2am-4.2.0', fromLevel: 1, toLevel: 3,
  repository: '/repo', manifests: { base: 'a'.repeat(64), target: 'b'.repeat(64) }, lineage: 'lin-1', serial: 4, portable: false,
};

export const NOTE = (level: number) => ({
  level, date: `2025-01-0${level}`, title: `Level ${level} title`, description: `What level ${level} brings.`,
  fixes: [{ id: `FIX-${level}`, title: `fix ${level}` }],
  securityAdvisories: level === 3 ? [{ id: 'WSO2-2025-0001', severity: 'high' as const, title: 'XSS in the console' }] : [],
  changes: { added: [], modified: [], removed: [] },
});

export const MERGE_DIFF = '--- a/conf/a.toml\n+++ b/conf/a.toml\n@@ -1,2 +1,2 @@\n [db]\n-password = "mine"\n+password = "merged"\n';
export const MARKERS = '<<<<<<< installed\npassword = "d"\n||||||| base\npassword = "a"\n=======\npassword = "b"\n>>>>>>> target\n';

/** The base (level 1) and target (level 3) manifests the sample plan is made from. */
export function sampleManifests(): { base: Manifest; target: Manifest } {
  const [A, B, C] = [file('a\n'), file('b\n'), file('c\n')];
  return {
    base: manifest(1, { 'conf/a.toml': A, 'conf/b.toml': A, 'lib/x.jar': A, 'bin/gone.sh': C, 'conf/same.xml': A }),
    target: manifest(3, { 'conf/a.toml': B, 'conf/b.toml': B, 'lib/x.jar': B, 'lib/new.jar': C, 'conf/same.xml': A }),
  };
}

export function samplePlan(policy: ConflictPolicy = 'stop', meta: PlanMeta = META, outcomes?: Map<string, MergeOutcome>): Plan {
  const [A2, C] = [file('a2\n'), file('c\n')];
  const { base, target } = sampleManifests();
  const observed = new Map<string, Observed>([
    ['conf', DIR], ['lib', DIR], ['bin', DIR],
    ['conf/a.toml', C], ['conf/b.toml', file('d\n')], ['lib/x.jar', A2], ['lib/new.jar', ABSENT], ['bin/gone.sh', C],
  ]);
  const merges = outcomes ?? new Map<string, MergeOutcome>([
    ['conf/a.toml', { kind: 'text', clean: true, merged: '[db]\npassword = "merged"\n', diff: MERGE_DIFF }],
    ['conf/b.toml', { kind: 'text', clean: false, merged: MARKERS }],
    ['lib/x.jar', { kind: 'unmergeable', reason: 'binary-customized' }],
  ]);
  return finishPlan({ meta, policy, decisions: decide({ base, target, observed }), merges, observed, notes: [NOTE(3), NOTE(2)] });
}
