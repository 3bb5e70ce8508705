// Maps the WSO2 Update Tool's invocations onto our commands, so operators' habits and WSO2's Ansible scripts keep
// working: `./wso2update_linux` (update to latest), `--dry-run`, `--revert`, `--continue`, `-l N`, `current-state`.
// Flags that have no meaning here (`--no-backup`, `-b DIR`, `-v`) are accepted with a note rather than refused.
// The WSO2 flags are read as a set, so their order never matters; `--dry-run` never leads to a change, and a
// combination that makes no sense is refused with a sentence saying why (before anything runs).
import { UpdateError } from '../core/errors.js';
import { COMMANDS, flagsOf, valuedFlags } from './spec.js';
import { unknownFlag } from './usage.js';

/** Flags followed by a value, so that the value is never mistaken for a command: the command table's, and WSO2's own. */
const VALUED = new Set([...valuedFlags(), '-l', '-u', '-p', '-c', '--channel']);

/** WSO2's channel flag (`-c full`): one channel per repository here. */
const CHANNEL = new Set(['-c', '--channel']);
/** WSO2's account flags, passed on under their long names (the repository server's credentials). */
const ACCOUNT: Record<string, string> = { '-u': '--username', '-p': '--password' };

/** WSO2's own flags (their ours-only spellings are in the command table). */
const WSO2_FLAGS = ['--dry-run', '--revert', '--continue', '--no-backup', '--backup', '--channel', '--verbose', '--level', '--username', '--password'];
/**
 * Every long flag any command or WSO2 knows: a long flag outside it is refused here, with the nearest ones, before
 * it can swallow the next word (`--levle 2` read "2" as a command) or lose WSO2's meaning (`--dryrun`, `--revrt`).
 */
const KNOWN_LONG = [...new Set([...WSO2_FLAGS, ...COMMANDS.flatMap((c) => flagsOf(c)), ...flagsOf(undefined)].filter((f) => f.startsWith('--')))];

/** Commands that never change a pack: `--dry-run` beside them is already true, so it is dropped. */
const READ_ONLY = new Set(['plan', 'show', 'status', 'check', 'version', 'help']);

export interface Translated {
  argv: string[];
  notes: string[];
}

const refuse = (why: string, hint: string): UpdateError => new UpdateError('usage', why, { hint: `Nothing was changed. ${hint}` });

/** The command the WSO2 flags stand for when no command was named; refuses the combinations that make no sense. */
function wso2Head(modes: Set<string>, level: boolean): string[] | null {
  const has = (m: string) => modes.has(m);
  if (has('--revert') && has('--continue')) {
    throw refuse('--revert and --continue pull opposite ways: --continue finishes the update that waits for your .final files, --revert undoes it', 'Pick one of them.');
  }
  if (has('--continue') && has('--dry-run')) {
    throw refuse('--continue has no dry run: it installs your .final files and finishes the waiting update', 'Run `wso2update status` to see what waits.');
  }
  if (has('--continue') && level) {
    throw refuse('--continue finishes the update that waits; --level belongs to a new update', 'Finish (or revert) the waiting update first, then update with --level.');
  }
  if (has('--revert') && level) {
    throw refuse('--level picks the level to update to; it does not go with --revert', 'To go back to a level, run `wso2update revert --to-level N`.');
  }
  if (has('--revert')) return has('--dry-run') ? ['revert', '--dry-run'] : ['revert'];
  if (has('--dry-run')) return ['plan', '--dry-run'];
  if (has('--continue')) return ['apply', '--continue'];
  return null;
}

/** WSO2 flags beside a named command: kept where the command has them, dropped where harmless, else refused. */
function commandModes(command: string, modes: Set<string>): string[] {
  const out: string[] = [];
  for (const m of modes) {
    if (m === '--dry-run' && flagsOf(COMMANDS.find((c) => c.name === command)).includes('--dry-run')) out.push(m); // revert, revert-hotfix, plan
    else if (m === '--dry-run' && READ_ONLY.has(command)) continue;
    else if (m === '--continue' && command === 'apply') out.push(m);
    else if (m === '--revert' && command === 'revert') continue;
    else if (m === '--dry-run') throw refuse(`${command} has no --dry-run`, 'Run `wso2update plan` to see what an update would change without changing anything.');
    else throw refuse(`${m} does not go with the ${command} command`, `${m === '--revert' ? 'Run `wso2update revert` on its own.' : 'Run `wso2update apply --continue` on its own.'}`);
  }
  return out;
}

/** `argv` as process.argv (node, script, ...args). `invokedAs` is the script's base name. */
export function translateWso2Argv(argv: string[], invokedAs: string): Translated {
  const [node, script, ...args] = argv;
  const notes: string[] = [];
  const rest: string[] = [];
  const modes = new Set<string>();
  let command: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (command === undefined && !a.startsWith('-')) {
      command = a === 'current-state' ? 'status' : a;
      continue;
    }
    if (a === '--no-backup') {
      notes.push('--no-backup: ignored; wso2update keeps only the replaced files (a generation), never a full copy, so backups cost little.');
    } else if (a === '-b' || a === '--backup') {
      i += 1;
      notes.push('--backup: ignored; replaced files are kept inside the pack as generations (updates/wso2update/generations).');
    } else if (CHANNEL.has(a.split('=')[0])) {
      if (!a.includes('=')) i += 1;
      notes.push(`${a.split('=')[0]}: ignored; a repository holds one channel (the value was not used).`);
    } else if (ACCOUNT[a]) {
      rest.push(ACCOUNT[a]);
      if (i + 1 < args.length) rest.push(args[++i]);
    } else if (a === '-v' || a === '--verbose') {
      notes.push('--verbose: ignored; the full log is in updates/logs/.');
    } else if (VALUED.has(a)) {
      const flag = a === '-l' ? '--level' : a;
      const value = args[i + 1];
      // `--level -1` would otherwise reach the parser as a flag of its own ("Unknown option -1").
      if (value === undefined) rest.push(flag);
      else rest.push(...(value.startsWith('-') ? [`${flag}=${value}`] : [flag, value]));
      i += 1;
    } else if (a === '--dry-run' || a === '--revert' || a === '--continue') {
      modes.add(a);
    } else if (command === undefined && a.startsWith('--') && a !== '--' && !KNOWN_LONG.includes(a.split('=')[0])) {
      throw unknownFlag(a.split('=')[0], KNOWN_LONG);
    } else {
      rest.push(a);
    }
  }
  const level = rest.some((r) => r === '--level' || r.startsWith('--level='));
  const isWso2Binary = /^wso2update_(linux|darwin|windows)/.test(invokedAs);
  let head: string[];
  if (command !== undefined) head = [command, ...commandModes(command, modes)];
  else head = wso2Head(modes, level)
    ?? (level || (isWso2Binary && !rest.some((r) => r === '--help' || r === '-h' || r === '--version')) ? ['apply'] : []);
  return { argv: [node, script, ...head, ...rest], notes };
}
