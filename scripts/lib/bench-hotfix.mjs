// The hotfix row of scripts/bench.mjs: a realistic fix (three plugin jars of the large pack, patched) published on
// level 1 and applied with `apply-hotfix` (plan, verify against the signed channel, apply with a generation) on the
// pack just updated to level 1; the peer is the manual way support fixes are installed, `cp` of the same files
// (no plan, no verification, no backup). Returns both wall times in seconds.
import { cpSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ID = 'WSO2-HF-2026-0042';

export function hotfixRun({ dir, repo, keys, home, pack, cli, timed, product }) {
  const plugins = 'repository/components/plugins';
  const jars = readdirSync(join(pack.l1, plugins)).filter((n) => n.endsWith('.jar')).map((n) => `${plugins}/${n}`)
    .filter((p) => !pack.spec.customized.includes(p)).slice(0, 3);
  const fix = join(dir, 'hotfix-tree');
  for (const p of jars) {
    mkdirSync(dirname(join(fix, p)), { recursive: true });
    writeFileSync(join(fix, p), Buffer.concat([readFileSync(join(pack.l1, p)), Buffer.from(`patched by ${ID}\n`)]));
  }
  cli(['publish-hotfix', '--repo', repo, '--keys', keys, '--product', product, '--level', '1', '--id', ID, '--tree', fix, '--title', 'bench fix']);
  const ours = cli(['apply-hotfix', ID, '--home', home, '--yes']).s;
  // The peer copies the same three files over copies of the originals (outside the pack: the pack keeps the hotfix).
  const scratch = join(dir, 'hotfix-cp');
  for (const p of jars) {
    mkdirSync(dirname(join(scratch, p)), { recursive: true });
    cpSync(join(pack.l1, p), join(scratch, p));
  }
  const peer = timed('cp', ['-r', `${fix}/.`, scratch]).s;
  return { ours, peer, files: jars.length };
}
