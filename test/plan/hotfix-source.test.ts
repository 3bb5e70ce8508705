// plan/hotfix.ts's hotfixSource: the one rule for what `apply-hotfix ARG` means (an id, or an archive's path), with
// the hostile and mistyped arguments. Planning a hotfix end to end is test/cli/hotfix.test.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hotfixSource } from '../../src/plan/hotfix.js';
import { UpdateError } from '../../src/core/errors.js';
import { tmpDir } from '../helpers/tmp.js';

const cwd = tmpDir('wso2update-hotfix-source-');
writeFileSync(join(cwd, 'WSO2-HF-2026-0042'), 'an archive named like an id');
writeFileSync(join(cwd, 'WSO2-HF-26-1'), 'an archive named like a mistyped id');
writeFileSync(join(cwd, 'hf.tar'), 'x');
mkdirSync(join(cwd, 'sub'));

function refused(arg: string, code: string, re: RegExp, dir = cwd): void {
  try {
    hotfixSource(arg, dir);
  } catch (err) {
    assert.instance(err, UpdateError);
    assert.is((err as UpdateError).code, code, arg);
    assert.match((err as Error).message, re);
    return;
  }
  assert.unreachable(`${arg} was accepted`);
}

test('an id is an id, even when a file of that name is here', () => {
  assert.equal(hotfixSource('WSO2-HF-2026-0042', cwd), { id: 'WSO2-HF-2026-0042' });
  assert.equal(hotfixSource('ACME-HF-1999-123456', '/nowhere'), { id: 'ACME-HF-1999-123456' });
});

test('anything else is a path from the current folder, when it is there', () => {
  assert.equal(hotfixSource('hf.tar', cwd), { file: join(cwd, 'hf.tar') });
  assert.equal(hotfixSource('./sub/../hf.tar', cwd), { file: join(cwd, 'hf.tar') });
  assert.equal(hotfixSource(join(cwd, 'hf.tar'), '/elsewhere'), { file: join(cwd, 'hf.tar') });
  assert.equal(hotfixSource('WSO2-HF-26-1', cwd), { file: join(cwd, 'WSO2-HF-26-1') }, 'a file of that name is what was meant');
});

test('a mistyped id is refused as an id; a missing file says it is neither, with its full path', () => {
  refused('WSO2-HF-26-1', 'usage', /apply-hotfix: "WSO2-HF-26-1" is not a hotfix id/, join(cwd, 'sub'));
  refused('wso2-hf-2026-0042', 'usage', /apply-hotfix: "wso2-hf-2026-0042" is not a hotfix id/);
  refused('nothing.tar', 'not-found', new RegExp(`^${join(cwd, 'nothing.tar')} is neither a hotfix id nor a hotfix archive \\(no such file\\)$`));
  refused(`${'../'.repeat(40)}etc/nonexistent-hf`, 'not-found', /^\/etc\/nonexistent-hf is neither/);
});

test.run();
