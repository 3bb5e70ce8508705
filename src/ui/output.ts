// What a command prints, as data: its text for people (stderr) and its data for scripts (stdout: --json, a URL,
// template lists). ui/ renders it from the command's result; cli/print.ts writes it. A command never words its own.
export interface Output { stdout: string; stderr: string }

/** The one JSON spelling of `--json` results: two-space indented, one trailing newline. */
export const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** `value` as JSON on stdout when `json` was asked for, else nothing there. */
export const jsonIf = (json: boolean, value: () => unknown): string => (json ? jsonText(value()) : '');
