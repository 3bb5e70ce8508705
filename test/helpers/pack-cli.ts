// A fixture pack driven through the CLI, for the end-to-end tests that once lived together in first-hour-bugs
// (issue 8) and now sit with their commands (apply/, revert/, wso2/, messages/): one copy of their setup.
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeFixture, snapshot, type Fixture } from './pack.js';
import { runCli, runShell } from './tmp.js';

/** Everything of the pack that a run could change, kept generations and state included; not the lock or logs. */
export const full = (home: string) => snapshot(home, (r) => r === 'updates/wso2update/lock' || r.startsWith('updates/logs'));
/** The pack's state record as written. */
export const stateOf = (home: string) => JSON.parse(readFileSync(join(home, 'updates/wso2update/state.json'), 'utf8'));

/** The fixture pack updated to level 1 by a real apply. */
export async function atLevel1(): Promise<Fixture> {
  const f = await makeFixture();
  const r = await runCli(['apply', '--home', f.home, '--level', '1', '--yes']);
  assert.is(r.code, 0, r.stderr);
  return f;
}

/** Runs a pasted command line through a real shell, as a user pasting it would. */
export const paste = (commandLine: string, cwd: string) => runShell(commandLine, { cwd });

/** The backticked command after `label` in a run's output. */
export function hint(text: string, label: RegExp): string {
  const m = new RegExp(`${label.source}[^\`]*\`([^\`]+)\``).exec(text);
  assert.ok(m, `no hint after ${label} in:\n${text}`);
  return (m as RegExpExecArray)[1];
}
