// The name the tool was run by, as a user would type it again, so that every command a hint prints can be pasted
// as it is: `./wso2update_linux` from the pack's bin/, `wso2update` when that is on the PATH, `npx wso2update`
// under npx, else `node <path>` (a fresh clone run as `node bin/wso2update.js`, where `wso2update` is not a command).
import { existsSync, realpathSync } from 'node:fs';
import { basename, delimiter, isAbsolute, join, relative, resolve } from 'node:path';

const real = (p: string): string | null => {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
};

/** The folder of `script` is on the PATH, and the PATH's `name` there is this very script. */
function onPath(name: string, script: string, env: NodeJS.ProcessEnv): boolean {
  const mine = real(script);
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)) && real(join(dir, name)) === mine);
}

/**
 * `./x` or `bin/x` when the script is at or below `cwd`, else its absolute path. On Windows `.\\x.exe` and
 * `.\\bin\\x.exe`: PowerShell runs nothing from the current folder without `.\\`, and cmd.exe takes it too.
 */
function typed(script: string, cwd: string, platform: NodeJS.Platform): string {
  const rel = relative(cwd, script);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return script;
  if (platform === 'win32') return `.\\${rel}`;
  return rel.includes('/') ? rel : `./${rel}`;
}

export function invokedName(scriptArg: string | undefined, cwd: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = 'linux'): string {
  if (scriptArg === undefined) return 'wso2update';
  const script = resolve(cwd, scriptArg);
  const name = basename(script);
  if (env.npm_command === 'exec' && name === 'wso2update') return 'npx wso2update';
  if (onPath(name, script, env)) return name;
  if (/^wso2update_/.test(name)) return typed(script, cwd, platform);
  if (onPath('wso2update', script, env)) return 'wso2update';
  return `node ${typed(script, cwd, platform)}`;
}
