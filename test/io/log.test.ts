// io/log: WSO2's daily log (updates/logs/wso2update-DD-MM-YYYY.log), appended, secrets masked, never outside the pack
// and never failing the command it records.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendLog, logFile } from '../../src/io/log.js';
import { tmpDir } from '../helpers/tmp.js';

const NOW = new Date(2026, 0, 5, 10, 0, 0);

function pack(): string {
  const h = tmpDir();
  mkdirSync(join(h, 'updates'));
  return h;
}

test('the file is named by the local date, WSO2\'s way (DD-MM-YYYY)', () => {
  assert.is(logFile('/p', NOW), join('/p', 'updates', 'logs', 'wso2update-05-01-2026.log'));
});

test('lines are appended, each stamped; updates/logs is made; a password value is masked', async () => {
  const h = pack();
  await appendLog(h, NOW, ['apply started', 'password=hunter2']);
  await appendLog(h, NOW, ['apply done']);
  const lines = readFileSync(logFile(h, NOW), 'utf8').trimEnd().split('\n');
  assert.is(lines.length, 3);
  for (const l of lines) assert.ok(l.startsWith(`${NOW.toISOString()} `), l);
  assert.not.match(lines[1], 'hunter2');
  assert.match(lines[2], 'apply done');
});

test('no updates/ at all (not a pack): nothing is made', async () => {
  const h = tmpDir();
  await appendLog(h, NOW, ['x']);
  assert.equal(readdirSync(h), []);
});

test('a symlinked updates/logs or log file is never written through, and the command does not fail', async () => {
  const h = pack();
  const outside = tmpDir();
  symlinkSync(outside, join(h, 'updates', 'logs'));
  await appendLog(h, NOW, ['x']);
  assert.equal(readdirSync(outside), []);

  const k = pack();
  mkdirSync(join(k, 'updates', 'logs'));
  const victim = join(outside, 'victim');
  writeFileSync(victim, 'keep');
  symlinkSync(victim, logFile(k, NOW));
  await appendLog(k, NOW, ['x']);
  assert.is(readFileSync(victim, 'utf8'), 'keep');
});

test('an updates/logs that is a file: logging gives up quietly', async () => {
  const h = pack();
  writeFileSync(join(h, 'updates', 'logs'), 'not a folder');
  await appendLog(h, NOW, ['x']);
  assert.is(readFileSync(join(h, 'updates', 'logs'), 'utf8'), 'not a folder');
  assert.not.ok(existsSync(join(h, 'updates', 'logs.log')));
});

test.run();
