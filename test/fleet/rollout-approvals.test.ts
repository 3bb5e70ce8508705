// Signed approvals in a real ansible-playbook rollout (issue 23): the controller refuses a plan without the
// approvals required before any node is touched; once two approvers signed it, the signatures travel with the plan
// and each node (with its own recorded policy) checks them again and moves; the builder flow is refused when
// approvals are required, since a plan made during the rollout cannot carry them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_ARGV, cli, makeNode, makePlan, makeRepository, rolloutArgs, runPlaybook, writeInventory } from '../../scripts/lib/fleet.mjs';
import { sshKeygenKey, sshKeygenSign } from '../helpers/ssh.js';
import { tmpDir } from '../helpers/tmp.js';

const hasAnsible = spawnSync('ansible-playbook', ['--version'], { stdio: 'ignore' }).status === 0;
const level = (home: string): number => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8')).level;

test('approvals required: refused on the controller without them, moved with them, each node checking again', async () => {
  assert.ok(hasAnsible, 'ansible-playbook not found: apt-get install -y ansible-core');
  const root = tmpDir('wso2update-fleet-approvals-');
  const { repo, tree0 } = makeRepository(root);
  const keys = join(root, 'keys');
  mkdirSync(keys);
  const [alice, bob] = [sshKeygenKey(keys, 'ed25519', 'alice'), sshKeygenKey(keys, 'ecdsa-256', 'bob')];
  const signers = join(keys, 'allowed_signers');
  writeFileSync(signers, `alice@example.com ${alice.pub}\nbob@example.com ${bob.pub}\n`);
  const names = ['node01', 'node02'];
  const homes = Object.fromEntries(names.map((n) => [n, makeNode(root, n, tree0, repo)]));
  for (const n of names) cli(['policy', '--home', homes[n], '--require-approvals', '2', '--allowed-signers', signers]);
  const plan = makePlan(root, makeNode(root, 'builder', tree0, repo), repo);
  const inventory = writeInventory(join(root, 'inventory.yml'), names.map((n) => ({ name: n, vars: { pack_home: homes[n] } })), { wso2update_cmd: CLI_ARGV.join(' ') });
  // The controller's command has a space in it (node and the script): JSON extra vars keep it whole.
  const args = [...rolloutArgs(inventory, plan.path, plan.digest, { require_approvals: 2, allowed_signers: signers }), '-e', JSON.stringify({ wso2update_controller_cmd: CLI_ARGV.join(' ') })];

  const unsigned = await runPlaybook(root, args);
  assert.is.not(unsigned.code, 0, unsigned.out);
  assert.match(unsigned.out, /NOT approved: plan [0-9a-f]{64}/);
  assert.match(unsigned.out, /0 of 2 required approvals: nobody; 2 more needed/);
  for (const n of names) assert.is(level(homes[n]), 0, `${n} was touched`);

  writeFileSync(`${plan.path}.sig`, sshKeygenSign(alice.path, plan.path, 'wso2update-plan'));
  mkdirSync(`${plan.path}.approvals`);
  writeFileSync(join(`${plan.path}.approvals`, 'bob.sig'), sshKeygenSign(bob.path, plan.path, 'wso2update-plan'));
  const signed = await runPlaybook(root, args);
  assert.is(signed.code, 0, signed.out);
  for (const n of names) {
    assert.is(level(homes[n]), 1, `${n} did not move`);
    const last = JSON.parse(readFileSync(join(homes[n], 'updates/wso2update/audit/audit.log'), 'utf8').trim().split('\n').pop() ?? '{}');
    assert.equal([last.command, last.result, last.approvers], ['apply', 'applied', ['alice@example.com', 'bob@example.com']], n);
  }

  const viaBuilder = await runPlaybook(root, [...args, '-e', 'builder=node01']);
  assert.is.not(viaBuilder.code, 0);
  assert.match(viaBuilder.out, /a plan made here during the rollout cannot carry\s+approvals/);
});

test.run();
