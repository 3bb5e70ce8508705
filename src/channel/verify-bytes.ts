// The checks every byte from a repository passes, whatever moved it (a folder, HTTP, a tar bundle): the size the
// signed manifest or index names, then the sha256. One place, so that each transport and the repository refuse alike
// (exit 7) with the same words.
import { UpdateError } from '../core/errors.js';
import type { Sha256 } from '../core/model.js';

const DAMAGED = 'The repository copy is damaged or was tampered with; nothing was changed. Re-publish the level or restore the repository.';

export function tooLarge(what: string, got: number, max: number): UpdateError {
  return new UpdateError('verification', `${what} is larger than allowed (${got} bytes, at most ${max})`, { hint: DAMAGED });
}

export function checkSize(what: string, want: number, got: number): void {
  if (got !== want) throw new UpdateError('verification', `${what} has ${got} bytes, not the ${want} its manifest names`, { hint: DAMAGED });
}

export function checkHash(what: string, want: Sha256, got: Sha256): void {
  if (got !== want) throw new UpdateError('verification', `${what} does not match its sha256 (expected ${want}, got ${got})`, { hint: DAMAGED });
}

/** Size first (the cheaper and clearer refusal), then the hash. */
export function checkBytes(what: string, want: { size: number; sha256: Sha256 }, got: { size: number; sha256: Sha256 }): void {
  checkSize(what, want.size, got.size);
  checkHash(what, want.sha256, got.sha256);
}
