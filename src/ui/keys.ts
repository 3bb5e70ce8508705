// What `keygen` prints: the key ids it made (never a private key) with where the keys are and how to keep them,
// or the rotation it signed; the same as JSON on stdout with --json.
import { jsonIf, type Output } from './output.js';

export function renderKeysMade(dir: string, made: { role: string; keyId: string }[], json: boolean): Output {
  const lines = [`Wrote ed25519 keys for ${made.map((k) => k.role).join(', ')} to ${dir} (private, mode 0600; keep them offline, the root key above all)`,
    ...made.map((k) => `  ${k.role.padEnd(9)} ${k.keyId}`)];
  return { stderr: `${lines.join('\n')}\n`, stdout: jsonIf(json, () => ({ keys: dir, keyIds: Object.fromEntries(made.map((k) => [k.role, k.keyId])) })) };
}

export function renderKeyRotated(r: { role: string; keyId: string; rootVersion: number; retired: string }, json: boolean): Output {
  return {
    stderr: `Rotated the ${r.role} key: root version ${r.rootVersion} lists ${r.keyId}, signed by the old and the new root keys; the old key is kept in ${r.retired}\n`,
    stdout: jsonIf(json, () => ({ role: r.role, keyId: r.keyId, rootVersion: r.rootVersion, retired: r.retired })),
  };
}
