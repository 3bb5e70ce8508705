// Plans carry the id of the merge engine that computed their merged texts (MERGE_ENGINE). Apply recomputes every
// merge and compares; a plan from another engine could differ only because the engines align edits differently, so
// it is refused as out of date rather than as altered: the fix is to plan again.
import { UpdateError } from '../errors.js';
import { quote } from '../quote.js';
import { MERGE_ENGINE } from '../version.js';

export function assertMergeEngine(engine: unknown, file = 'the plan'): void {
  if (engine === MERGE_ENGINE) return;
  throw new UpdateError('stale-plan', `${file} was made with merge engine ${engine === undefined ? '(unrecorded)' : quote(engine)}, this wso2update merges with ${MERGE_ENGINE}`, {
    hint: 'Plan again with this wso2update (`wso2update plan`) and review the new plan; nothing was changed.',
  });
}
