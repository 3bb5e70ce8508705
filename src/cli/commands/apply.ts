// PLACEHOLDER: replaced by the real command (tracked in the issues); fails loudly so nothing mistakes it for done.
import { UpdateError } from '../../core/errors.js';
import type { CommandRun } from '../context.js';

export const run: CommandRun = async () => {
  throw new UpdateError('internal', 'apply is not built yet');
};
