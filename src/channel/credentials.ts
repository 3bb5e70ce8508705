// Credentials for a repository server, in WSO2's order: -u/--username and -p/--password, then UPDATE_TOOL_USERNAME
// and UPDATE_TOOL_PASSWORD, then (only when the server asks, and only on a terminal) a prompt. They live in memory
// only: nothing here or in the transport writes them to a plan, state, log, error or --json output.
import type { Credentials } from './http/transport.js';

export interface CredentialSources {
  username?: string;
  password?: string;
  env: Record<string, string | undefined>;
  /** Asks on a terminal (the password hidden); absent when there is no terminal. */
  prompt?: (question: string, hidden: boolean) => Promise<string>;
}

export interface ResolvedCredentials {
  /** Known up front: sent with every request. */
  given?: Credentials;
  /** Asked at the first 401 when nothing (or only a user name) was given. */
  ask?: () => Promise<Credentials | undefined>;
}

export function resolveCredentials(s: CredentialSources): ResolvedCredentials {
  const username = s.username ?? (s.env.UPDATE_TOOL_USERNAME || undefined);
  const password = s.password ?? (s.env.UPDATE_TOOL_PASSWORD || undefined);
  if (username !== undefined && password !== undefined) return { given: { username, password } };
  const prompt = s.prompt;
  if (!prompt) return {};
  // One answer for the whole run: `apply` without a plan file opens the repository twice (to plan, then to
  // stage), and each connection pool meets its own first 401; the operator is asked once, not once per pool.
  let answer: Promise<Credentials | undefined> | undefined;
  return {
    ask: () => (answer ??= (async () => {
      const user = username ?? (await prompt('Repository user name: ', false)).trim();
      if (!user) return undefined;
      const pass = password ?? (await prompt(`Password for ${user}: `, true));
      return { username: user, password: pass };
    })()),
  };
}
