// Maps the WSO2 Update Tool's invocations onto our commands, so operators' habits and WSO2's Ansible scripts keep
// working: `./wso2update_linux` (update to latest), `--dry-run`, `--revert`, `--continue`, `-l N`, `current-state`.
// Flags that have no meaning here (`--no-backup`, `-b DIR`, `-v`) are accepted with a note rather than refused.

/** Flags followed by a value, so that the value is never mistaken for a command. */
const VALUED = new Set(['--home', '--repo', '--level', '-l', '--out', '--on-conflict', '--expect-digest', '--to-level', '--template',
  '-u', '--username', '-p', '--password', '--tree', '--product', '--notes', '--exclude', '--date', '-c', '--channel']);

/** WSO2's channel flag (`-c full`): one channel per repository here. */
const CHANNEL = new Set(['-c', '--channel']);
/** WSO2's account flags, passed on under their long names (the repository server's credentials). */
const ACCOUNT: Record<string, string> = { '-u': '--username', '-p': '--password' };

export interface Translated {
  argv: string[];
  notes: string[];
}

/** `argv` as process.argv (node, script, ...args). `invokedAs` is the script's base name. */
export function translateWso2Argv(argv: string[], invokedAs: string): Translated {
  const [node, script, ...args] = argv;
  const notes: string[] = [];
  const rest: string[] = [];
  let command: string | undefined;
  let mapped: string[] | undefined;
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
      rest.push(a === '-l' ? '--level' : a);
      if (i + 1 < args.length) rest.push(args[++i]);
    } else if (command === undefined && a === '--dry-run') {
      mapped = ['plan'];
    } else if (command === undefined && a === '--revert') {
      mapped = ['revert'];
    } else if (command === undefined && a === '--continue') {
      mapped = ['apply', '--continue'];
    } else {
      rest.push(a);
    }
  }
  const isWso2Binary = /^wso2update_(linux|darwin|windows)/.test(invokedAs);
  let head: string[];
  if (command !== undefined) head = [command];
  else if (mapped) head = mapped;
  else if (rest.some((r) => r === '--level') || (isWso2Binary && !rest.some((r) => r === '--help' || r === '-h' || r === '--version'))) head = ['apply'];
  else head = [];
  return { argv: [node, script, ...head, ...rest], notes };
}
