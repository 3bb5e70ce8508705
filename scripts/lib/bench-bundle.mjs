// The offline-bundle rows of `npm run bench` (issue 12): create-update of the large update beside `tar -cf` of the
// same files from the same repository, and apply-update (plan, --yes, apply from the bundle) beside the same
// one-shot apply from the folder repository, each on a fresh copy of the customized pack. `--bundle-only` runs just these.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyTree, timed } from './bench-peers.mjs';

/**
 * One run: `cli(args)` runs wso2update and returns {s}; `attempt(metric, fn)` records a sample or the error.
 * `repo` is the signed repository holding levels 0 and 1; `verify(home, who)` checks an updated pack.
 */
export function bundleRun({ dir, repo, pack, cli, attempt, verify, first }) {
  const product = pack.spec.product;
  const root = join(repo, 'metadata', '1.root.json');
  const bundle = join(dir, 'update-0-1.tar');
  mkdirSync(dir, { recursive: true });
  attempt('createUpdate', () => cli(['create-update', '--repo', repo, '--product', product, '--trust-root', root, '--from', '0', '--to', '1', '--out', bundle]).s);
  if (!existsSync(bundle)) return; // create-update's error is recorded; the other rows need its bundle
  // The peer packs exactly the files the bundle holds that exist in the repository (all but bundle.json).
  const list = join(dir, 'bundle-files.txt');
  writeFileSync(list, timed('tar', ['-tf', bundle]).stdout.split('\n').filter((p) => p && p !== 'bundle.json').join('\n'));
  attempt('tarCf', () => timed('tar', ['-cf', join(dir, 'peer.tar'), '-C', repo, '--files-from', list]).s);
  attempt('bundleMB', () => readFileSync(bundle).length / 1048576);
  const adopt = (name) => {
    const home = join(dir, name);
    copyTree(pack.home, home);
    cli(['init', '--home', home, '--repo', repo, '--trust-root', root]);
    return home;
  };
  const viaBundle = adopt('home-bundle');
  const viaFolder = adopt('home-folder');
  attempt('applyUpdate', () => cli(['apply-update', bundle, '--home', viaBundle, '--yes']).s);
  attempt('applyFolder', () => cli(['apply', '--home', viaFolder, '--yes']).s);
  if (first) {
    attempt('bundleVerified', () => (verify(viaBundle, pack, 'apply-update'), 1));
  }
}
