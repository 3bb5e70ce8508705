// What `serve` prints: the URL alone on stdout (a script reads it; with --port 0 it is the only way to learn the
// port), and for people what is served, how to stop it, and a note when it listens beyond this machine.
import type { Output } from './output.js';

export function renderServing(root: string, url: string, loopback: boolean): Output {
  const note = loopback ? '' : 'Note: listening beyond this machine; plain http is for trusted networks only (clients need --allow-http).\n';
  return { stdout: `${url}\n`, stderr: `Serving ${root} at ${url} (Ctrl-C stops)\n${note}` };
}
