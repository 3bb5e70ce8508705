// The tool version written into plans; plans from another format version are refused, not this one.
export const TOOL_VERSION = '0.1.0';
/**
 * The merge engine's identity, recorded in every plan (issue 7): apply recomputes each merge and refuses a plan whose
 * engine differs ("plan again"), since another engine may align the same edits differently. Bump on any change to
 * the merge engine's output.
 */
export const MERGE_ENGINE = 'node-diff3-3.2.1-1';
