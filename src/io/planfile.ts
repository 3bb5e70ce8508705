// The plan file on disk: written atomically with mode 0600 (it may hold merged config files with secrets), and
// read back only after schema, format version, paths and digest all check out, since apply trusts nothing else.
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { planDigest } from '../core/canonical.js';
import { UpdateError } from '../core/errors.js';
import { FORMAT_VERSION, type Plan } from '../core/model.js';
import { planProblems } from '../core/plan/check.js';
import { assertMergeEngine } from '../core/merge/engine.js';
import { writeFileAtomic } from './atomic.js';
import { parseJsonText, validateParsedJson, type Warnings } from './validate.js';

export const DEFAULT_PLAN_FILE = 'wso2update.plan.json';

/** Pretty JSON (reviewable with any viewer), keys in the order the planner built them; the digest does not depend on it. */
export function planText(plan: Plan): string {
  return `${JSON.stringify(plan, null, 2)}\n`;
}

/** A missing folder or a folder given as --out is the user's to fix, not a bug: say so, naming the file. */
function unwritable(file: string, err: unknown): UpdateError {
  const code = (err as NodeJS.ErrnoException).code;
  return new UpdateError('io', `cannot write the plan file ${file}: ${code === 'EISDIR' ? 'it is a folder' : code === 'ENOENT' ? 'its folder does not exist' : (err as Error).message}`, {
    hint: 'Pass --out with a file path in an existing, writable folder; the pack was not changed.', cause: err,
  });
}

export async function writePlan(file: string, plan: Plan): Promise<void> {
  try {
    await writeFileAtomic(file, planText(plan), { mode: 0o600 });
  } catch (err) {
    throw unwritable(file, err);
  }
}

/**
 * Refuses, before planning, a plan file that could not be written (a folder, or in a missing folder): planning
 * keeps the blobs it reads in the pack's cache, and a plan that then fails to be written must have changed nothing.
 */
export function assertPlanWritable(file: string): void {
  const code = existsSync(file) ? (statSync(file).isDirectory() ? 'EISDIR' : null) : existsSync(dirname(file)) ? null : 'ENOENT';
  if (code !== null) throw unwritable(file, Object.assign(new Error(code), { code }));
}

/** Checks the format version before the schema, so that a plan from another version gets the message that helps. */
function checkFormat(value: unknown, file: string): void {
  const v = (value as { formatVersion?: unknown } | null)?.formatVersion;
  if (value !== null && typeof value === 'object' && v !== undefined && v !== FORMAT_VERSION) {
    throw new UpdateError('invalid-input', `${file} is a plan of format version ${JSON.stringify(v)}; this wso2update reads version ${FORMAT_VERSION}`, {
      hint: 'Make the plan again with this wso2update (`wso2update plan`), or use the wso2update version that made it.',
    });
  }
}

const NOT_A_PLAN_HINT = 'Pass the file that `wso2update plan` wrote (wso2update.plan.json unless --out said otherwise).';

/**
 * Some other file given as a plan (a config, state.json, a script) gets one line saying so, not the schema's list of
 * every missing field: a file without a plan's `actions` and `digest` is not a damaged plan but no plan at all.
 */
function checkIsPlan(raw: unknown, file: string): void {
  const o = raw as Record<string, unknown> | null;
  if (o === null || typeof o !== 'object' || Array.isArray(o) || !('actions' in o) || !('digest' in o)) {
    throw new UpdateError('invalid-input', `${file} is not a plan file (it has no plan's "actions" and "digest")`, { hint: NOT_A_PLAN_HINT });
  }
}

export function parsePlan(text: string, file: string, warnings?: Warnings): Plan {
  let raw: unknown;
  try {
    raw = parseJsonText(text, file);
  } catch (err) {
    // Only a syntax error means "not a plan file"; over-deep, over-large or duplicate-key JSON keeps its own message.
    if (!(err instanceof UpdateError) || !/not valid JSON/.test(err.message)) throw err;
    const at = /^:(\d+):(\d+):/.exec(err.message.slice(file.length));
    throw new UpdateError('invalid-input', `${file} is not a plan file: it is not JSON${at ? ` (line ${at[1]}, column ${at[2]})` : ''}`, { hint: NOT_A_PLAN_HINT, cause: err });
  }
  checkIsPlan(raw, file);
  checkFormat(raw, file);
  assertMergeEngine((raw as { tool?: { mergeEngine?: unknown } } | null)?.tool?.mergeEngine, file);
  // The text is parsed once (a plan with merged files can be large); the schema and path checks are parseJsonFile's.
  const plan = validateParsedJson<Plan>('plan', raw, text, file, warnings);
  const want = planDigest(plan);
  if (want !== plan.digest) {
    throw new UpdateError('invalid-input', `${file}: plan digest does not match its content: the file was edited or damaged after planning`, {
      detail: `recorded ${plan.digest}\ncomputed ${want}`,
      hint: 'Make a new plan with `wso2update plan` and review it; a plan cannot be edited by hand.',
    });
  }
  // A digest anyone can recompute proves nothing about sense: an action must be bound by its precondition, and a
  // merge must write exactly the file it describes, however the plan was made.
  const problems = planProblems(plan);
  if (problems.length > 0) {
    throw new UpdateError('invalid-input', `${file}: the plan contradicts itself (${problems.length} problem(s)): it was not made by wso2update plan`, {
      detail: problems.slice(0, 20).join('\n') + (problems.length > 20 ? `\n... and ${problems.length - 20} more` : ''),
      hint: 'Make a new plan with `wso2update plan` and review it; nothing was changed.',
    });
  }
  return plan;
}

export async function readPlan(file: string, warnings?: Warnings): Promise<Plan> {
  return (await readPlanFile(file, warnings)).plan;
}

/**
 * The plan and the exact bytes it was read from, read once: approvals are signatures over these bytes, so the plan
 * that is checked against them is the very plan that is applied (a second read could see another file).
 */
export async function readPlanFile(file: string, warnings?: Warnings): Promise<{ plan: Plan; bytes: Buffer }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UpdateError('not-found', `plan file not found: ${file}`, { hint: 'Make one with `wso2update plan --out FILE`.', cause: err });
    if (code === 'EISDIR') {
      const inside = [join(file, DEFAULT_PLAN_FILE), join(file, 'updates', 'wso2update', DEFAULT_PLAN_FILE)].find((f) => existsSync(f));
      throw new UpdateError('invalid-input', `${file} is a folder, not a plan file`, {
        hint: inside ? `Did you mean ${inside}?` : NOT_A_PLAN_HINT, cause: err,
      });
    }
    throw new UpdateError('io', `cannot read plan ${file}: ${(err as Error).message}`, { cause: err });
  }
  return { plan: parsePlan(bytes.toString('utf8'), file, warnings), bytes };
}
