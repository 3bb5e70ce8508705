// ui/keys.ts: keygen names the key ids it made (never a key) and the rotation it signed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderKeyRotated, renderKeysMade } from '../../src/ui/keys.js';

test('made: the roles, where the keys are and how to keep them, then each id aligned', () => {
  const made = [{ role: 'root', keyId: 'r1' }, { role: 'timestamp', keyId: 't1' }];
  const out = renderKeysMade('/k', made, true);
  assert.is(out.stderr, 'Wrote ed25519 keys for root, timestamp to /k (private, mode 0600; keep them offline, the root key above all)\n  root      r1\n  timestamp t1\n');
  assert.equal(JSON.parse(out.stdout), { keys: '/k', keyIds: { root: 'r1', timestamp: 't1' } });
});

test('rotated: the role, the root version that lists the new key, where the old one is kept', () => {
  const out = renderKeyRotated({ role: 'targets', keyId: 'n2', rootVersion: 3, retired: '/k/retired/targets.key' }, false);
  assert.equal(out, { stdout: '', stderr: 'Rotated the targets key: root version 3 lists n2, signed by the old and the new root keys; the old key is kept in /k/retired/targets.key\n' });
});

test.run();
