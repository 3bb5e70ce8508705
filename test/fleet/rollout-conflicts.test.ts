// The rollout's other paths, with real ansible-playbook: the plan made on a builder host (-e builder=HOST) and
// still checked against the approved digest; a plan holding a conflict stops the first node at exit 3 (the node
// waits for its .final file, the summary reports WSO2's --template line), and with the default serial 1 and
// max_fail_percentage 0 the rollout stops there, the summary naming the node it did not reach.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runPlaybook, CLI_ARGV, cli, makeNode, makePlan, makeRepository, rolloutArgs } from '../../scripts/lib/fleet.mjs';
import { tmpDir } from '../helpers/tmp.js';

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;

test('a builder-made plan with a conflict: the first node stops at exit 3, the rollout stops, the summary says so', async () => {
  assert.ok(hasAnsible, 'ansible-playbook not found: apt-get install -y ansible-core');
  const root = tmpDir('wso2update-fleet-conflicts-');
  const { repo, tree0 } = makeRepository(root);
  // Every node carries the same patched jar, which level 1 also changes: a conflict in the plan, with policy stop.
  const jar = 'lib/org.wso2.carbon.core.jar';
  const homes = Object.fromEntries(['builder', 'gw1', 'gw2'].map((n) => {
    const home = makeNode(root, n, tree0, repo);
    writeFileSync(join(home, jar), 'patched core jar\n');
    return [n, home];
  }));
  // The approved digest: the plan reviewed earlier; the builder makes the same plan again during the rollout.
  const reviewed = makePlan(root, homes.builder, repo);
  assert.ok(reviewed.plan.actions.some((a: { action: string; path: string }) => a.action === 'conflict' && a.path === jar));
  const node = CLI_ARGV.join(' ');
  const inventory = join(root, 'inventory.yml');
  writeFileSync(inventory, JSON.stringify({
    all: {
      vars: { ansible_connection: 'local', ansible_python_interpreter: '/usr/bin/python3', wso2update_cmd: node },
      children: {
        builders: { hosts: { builder: { pack_home: homes.builder } } },
        wso2: { hosts: { gw1: { pack_home: homes.gw1, health_cmd: 'true' }, gw2: { pack_home: homes.gw2, health_cmd: 'true' } } },
      },
    },
  }));
  const fetched = join(root, 'made-on-builder.plan.json');
  const summaryFile = join(root, 'summary.json');
  const run = await runPlaybook(root, rolloutArgs(inventory, fetched, reviewed.digest, { builder: 'builder', rollout_summary_file: summaryFile }));
  assert.is(run.code, 2, run.out);
  assert.is(JSON.parse(readFileSync(fetched, 'utf8')).digest, reviewed.digest);
  assert.is(statSync(fetched).mode & 0o777, 0o600);

  const summary = JSON.parse(readFileSync(summaryFile, 'utf8'));
  assert.equal(summary.not_reached, ['gw2']);
  const [gw1] = summary.nodes;
  assert.is(gw1.host, 'gw1');
  assert.is(gw1.outcome, 'conflicts');
  assert.is(gw1.rc, 3);
  assert.match(gw1.reason, /^Modified: \[.*\], Conflicts: \[lib\/org\.wso2\.carbon\.core\.jar\]$/);
  assert.match(run.out, 'stopped on conflicts (exit 3)');
  assert.match(run.out, 'not reached yet (1): gw2');
  // gw1 waits on its conflict as `apply` left it; gw2 was never touched.
  assert.ok(existsSync(join(homes.gw1, `${jar}.new`)) && existsSync(join(homes.gw1, `${jar}.original`)));
  assert.is(cli(['status', '--home', homes.gw1], { ok: [3] }).status, 3);
  assert.is(JSON.parse(cli(['status', '--home', homes.gw2, '--json']).stdout).level, 0);

  // A second rollout meets gw1 still waiting: reported as conflicts again, nothing applied twice.
  const again = await runPlaybook(root, rolloutArgs(inventory, reviewed.path, reviewed.digest, { rollout_serial: 1 }));
  assert.is(again.code, 2, again.out);
  assert.match(again.out, /gw1: an update waits for its conflicts/);
});

test.run();
