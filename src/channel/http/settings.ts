// The HTTP(S) settings of this run (proxies and CA from the environment, --ca-file, --allow-http, --parallel,
// timeouts, credentials), set once by cli/ before a command runs, read by the transport table when a repository URL
// is opened. A single place, as undici's own global dispatcher: the commands and the applier open repositories
// deep inside, and need not carry network flags they never look at.
import type { HttpTransportOptions } from './transport.js';

let current: HttpTransportOptions = { env: {} };

export function configureHttp(settings: HttpTransportOptions): void {
  current = settings;
}

export function httpSettings(): HttpTransportOptions {
  return current;
}
