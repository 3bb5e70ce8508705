// The test process as a lock owner (what the CLI hands the applier), for tests that call applyPlan directly.
import { processOwner } from '../../src/cli/owner.js';

export const OWNER = processOwner();
