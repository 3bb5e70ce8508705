#!/usr/bin/env node
// The client under test for the TUF conformance suite (theupdateframework/tuf-conformance, its CLIENT-CLI.md),
// speaking that protocol over this project's own trust layer (dist/channel/trust: the pinned root, refreshTrust with its
// per-role persistence, the transport fetcher, verified target reads), exactly as wso2update's commands use it,
// not over bare tuf-js. Run `npm run build` first. README "TUF conformance" says how to run the suite against it.
//   CLIENT --metadata-dir DIR init TRUSTED_ROOT
//   CLIENT --metadata-dir DIR --metadata-url URL refresh
//   CLIENT --metadata-dir DIR --metadata-url URL --target-name PATH [--target-name PATH ...]
//          --target-base-url URL --target-dir DIR download
// Exit 0 on full success, 1 otherwise (the protocol has no other codes); the reason goes to stderr.
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const dist = new URL('../dist/', import.meta.url);
const load = (rel) => import(new URL(rel, dist).href).catch((err) => {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
  throw new Error(`${new URL(rel, dist).pathname} is missing: run \`npm ci && npm run build\` in ${new URL('..', dist).pathname} first`);
});

const USAGE = 'usage: tuf-conformance-client.mjs --metadata-dir DIR [--metadata-url URL] [--target-name PATH ... --target-base-url URL --target-dir DIR] init ROOT|refresh|download';

function args() {
  const { values, positionals } = parseArgs({
    options: {
      'metadata-dir': { type: 'string' },
      'metadata-url': { type: 'string' },
      'target-name': { type: 'string', multiple: true },
      'target-base-url': { type: 'string' },
      'target-dir': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const need = (name) => {
    if (values[name] === undefined) throw new Error(`--${name} is required for ${positionals[0]}\n${USAGE}`);
    return values[name];
  };
  return { values, positionals, need };
}

/** The metadata URL's folder as a transport (the suite serves metadata and targets at two separate base URLs). */
async function open(url) {
  const { openTransport } = await load('channel/open.js');
  return openTransport(url);
}

/** Refreshes the trusted metadata in --metadata-dir (non-versioned names: root.json, timestamp.json, ...). */
async function refresh(a, targetsUrl) {
  const { refreshTrust } = await load('channel/trust/client.js');
  const metadata = await open(a.need('metadata-url'));
  const targets = targetsUrl === undefined ? undefined : await open(targetsUrl);
  const close = async () => { await metadata.close?.(); await targets?.close?.(); };
  try {
    return { trusted: await refreshTrust(metadata, a.need('metadata-dir'), undefined, { metadataDir: '', targets }), close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Targets in argument order with one refresh; one already in --target-dir with matching hashes is not fetched again. */
async function download(a) {
  const { writeFileAtomic } = await load('io/atomic.js');
  const names = a.need('target-name');
  const dir = a.need('target-dir');
  const { trusted, close } = await refresh(a, a.need('target-base-url'));
  try {
    for (const name of names) {
      // Any name works inside --target-dir (the protocol's words); the URL-encoded path is one file, never a path.
      const file = join(dir, encodeURIComponent(name));
      const have = await readFile(file).catch(() => undefined);
      const bytes = await trusted.read(name, 'the target', have);
      if (bytes !== have) await writeFileAtomic(file, bytes, { mode: 0o644 });
    }
  } finally {
    await close();
  }
}

/**
 * Stores the trusted root in DIR, which starts empty or holds only what this client keeps there (metadata *.json
 * files). A folder with anything else (a mistyped `--metadata-dir ~`) is refused and left as it is: the client
 * deletes only files it could have written, never a folder it did not make.
 */
async function init(dir, root) {
  const { writeFileAtomic } = await load('io/atomic.js');
  await mkdir(dir, { recursive: true });
  const entries = await readdir(dir, { withFileTypes: true });
  const foreign = entries.filter((e) => !(e.isFile() && e.name.endsWith('.json')));
  if (foreign.length > 0) {
    throw new Error(`${dir} is not a metadata folder of this client (it holds ${foreign.slice(0, 3).map((e) => e.name).join(', ')}${foreign.length > 3 ? ', ...' : ''}): give an empty or new folder as --metadata-dir`);
  }
  for (const e of entries) await unlink(join(dir, e.name));
  await writeFileAtomic(join(dir, 'root.json'), root, { mode: 0o644 });
}

async function main() {
  const a = args();
  const [command, ...rest] = a.positionals;
  if (command === 'init' && rest.length === 1) {
    await init(a.need('metadata-dir'), await readFile(rest[0]));
  } else if (command === 'refresh' && rest.length === 0) {
    await (await refresh(a)).close();
  } else if (command === 'download' && rest.length === 0) {
    await download(a);
  } else {
    throw new Error(USAGE);
  }
}

try {
  await main();
  process.exitCode = 0;
} catch (err) {
  const hint = err?.hint ? `\n${err.hint}` : '';
  process.stderr.write(`tuf-conformance-client: ${err?.message ?? String(err)}${hint}\n`);
  process.exitCode = 1;
}
