#!/usr/bin/env node
// `npm run fleet [-- --nodes N] [-- --serial N] [-- --forks N] [-- --folder] [-- --keep]`: the rollout of the
// end-to-end test at fleet size (50 nodes by default) with real ansible-playbook, every node fetching its blobs
// from a private nginx on 127.0.0.1 serving the repository. Reports the rollout's wall time and the bytes nginx
// served (from its access log) against N x the update's size, and checks every node ended as "before" or "after".
// `--folder` (or a build without the HTTP channel) uses the repository folder instead; then nginx serves nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, truncateSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildScenario, expectedAfter, httpChannelRefusal, makeRepository, rolloutArgs, runPlaybook, updateBytes } from './lib/fleet.mjs';
import { servedBytes, startNginx } from './lib/nginx.mjs';
import { diffSnapshots, snapshot } from './lib/tree-snapshot.mjs';

const argv = process.argv.slice(2);
const num = (flag, dflt) => (argv.includes(flag) ? Number(argv[argv.indexOf(flag) + 1]) : dflt);
const count = num('--nodes', 50);
const serial = num('--serial', 10);
const forks = num('--forks', 10);
const keep = argv.includes('--keep');
for (const [flag, v] of [['--nodes', count], ['--serial', serial], ['--forks', forks]]) {
  if (!Number.isSafeInteger(v) || v < 1) { console.error(`${flag} needs a whole number >= 1`); process.exit(1); }
}
if (count < 5) { console.error('--nodes must be at least 5 (the scenario has a drifted, a self-updating, an unhealthy and a stopped node)'); process.exit(1); }
if (spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status !== 0) {
  console.error('ansible-playbook not found: apt-get install -y ansible-core');
  process.exit(1);
}

const root = mkdtempSync(join(tmpdir(), 'wso2update-fleet-'));
const say = (s) => process.stderr.write(`${s}\n`);
const mb = (n) => `${(n / 1048576).toFixed(2)} MiB`;

let nginx = null;
try {
  say(`fleet: ${count} nodes, batches of ${serial}, ${forks} forks; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  const { repo, tree0, tree1 } = makeRepository(root);
  nginx = await startNginx(join(root, 'nginx'), repo);
  let channel = argv.includes('--folder') ? 'folder' : 'http';
  if (channel === 'http') {
    const refusal = httpChannelRefusal(root, tree0, `${nginx.url}/`);
    if (refusal) {
      say(`fleet: this build cannot read the channel over HTTP (${refusal}); measuring with the folder repository (nginx serves nothing)`);
      channel = 'folder';
    }
  }
  const repoUrl = channel === 'http' ? `${nginx.url}/` : repo;
  const setupStart = performance.now();
  const s = buildScenario(root, { count, repoUrl, tree0 });
  say(`fleet: ${count} nodes adopted in ${((performance.now() - setupStart) / 1000).toFixed(1)} s; plan ${s.plan.digest.slice(0, 12)}`);
  const before = Object.fromEntries(s.names.map((n) => [n, snapshot(s.homes[n])]));
  const after = expectedAfter(snapshot, tree0, tree1);
  truncateSync(nginx.accessLog); // count the rollout's traffic only, not init's and the plan's

  const summaryFile = join(root, 'summary.json');
  const args = [...rolloutArgs(s.inventory, s.plan.path, s.plan.digest, { rollout_serial: serial, rollout_max_fail_percentage: 50, rollout_summary_file: summaryFile }), '-f', String(forks)];
  const started = performance.now();
  const run = await runPlaybook(root, args);
  const wall = (performance.now() - started) / 1000;
  await nginx.stop();
  const served = servedBytes(nginx.accessLog, (path) => path.startsWith('/blobs/'));
  nginx = null;

  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  const outcomes = {};
  for (const r of summary.nodes) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const wrong = [];
  for (const r of summary.nodes) {
    const want = r.outcome === 'moved' ? after : before[r.host];
    const d = diffSnapshots(want, snapshot(s.homes[r.host]));
    if (d.length) wrong.push(`${r.host} (${r.outcome}) is neither before nor after:\n${d.join('\n')}`);
  }
  const expected = { moved: count - 2, refused: 1, 'health-reverted': 1 };
  const size = updateBytes(s.plan.plan);
  const fetching = count - 1; // the drifted node refuses before fetching; the unhealthy one fetches, applies, reverts
  console.log([
    `Fleet rollout: ${count} nodes, ansible-playbook -f ${forks}, serial ${serial}, channel ${channel === 'http' ? 'nginx on 127.0.0.1' : 'folder (no HTTP)'}`,
    `  wall time of the rollout: ${wall.toFixed(1)} s (${(wall / count).toFixed(2)} s per node); ansible-playbook exit ${run.code}`,
    `  outcomes: ${Object.entries(outcomes).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `  update size (blobs one node fetches): ${size} bytes (${mb(size)}); ${count} x = ${count * size} bytes (${mb(count * size)})`,
    channel === 'http'
      ? `  nginx served for blobs: ${served.bytes} bytes (${mb(served.bytes)}) in ${served.requests} requests = ${(served.bytes / (count * size)).toFixed(3)} x (${count} x update); ${fetching} nodes fetched, so ${(served.bytes / (fetching * size)).toFixed(3)} x per fetching node; all responses ${served.all} bytes`
      : '  nginx served: nothing (folder repository)',
    `  every node before or after: ${wrong.length === 0 ? 'yes' : `NO\n${wrong.join('\n')}`}`,
  ].join('\n'));
  const bad = Object.entries(expected).filter(([k, v]) => outcomes[k] !== v);
  if (bad.length || wrong.length || run.code !== 2) {
    console.error(`fleet: unexpected outcome (${bad.map(([k, v]) => `${k}: ${outcomes[k] ?? 0}, expected ${v}`).join('; ')}); ansible output tail:\n${run.out.split('\n').slice(-60).join('\n')}`);
    process.exitCode = 1;
  }
} finally {
  if (nginx) await nginx.stop();
  if (keep) say(`fleet: kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
}
