// The one renderer of errors and warnings: summary, detail, the paths concerned and what to do next. Commands in
// the summary and hint are made pasteable (the invoked name, --home) when the invocation is known.
import { exitCodeOf, UpdateError, type Diagnostic } from '../core/errors.js';
import { clip } from '../core/quote.js';
import { pasteable, type Invocation } from './hints.js';

export function renderDiagnostic(d: Diagnostic): string {
  // Messages quote outside values through core/quote (at most ~200 characters each); the caps here are the last
  // line of defense, so that no value, however it got into a message, can flood the terminal or a log.
  const lines = [`${d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Note'}: ${clip(d.summary, 600)}`];
  if (d.detail) for (const l of ['', ...d.detail.split('\n').map((x) => `  ${clip(x, 400)}`)]) lines.push(l);
  if (d.hint) lines.push('', `  ${d.hint}`);
  return `${lines.join('\n')}\n`;
}

/** Warnings met on the way, each rendered as renderDiagnostic does, in the order they were met. */
export const renderDiagnostics = (ds: readonly Diagnostic[]): string => ds.map(renderDiagnostic).join('');

export function renderError(err: unknown, opts: { verbose?: boolean; invocation?: Invocation } = {}): string {
  if (err instanceof UpdateError) {
    const d = err.toDiagnostic();
    const inv = opts.invocation;
    if (inv) {
      d.summary = pasteable(d.summary, inv);
      if (d.hint) d.hint = pasteable(d.hint, inv);
    }
    if (err.paths && err.paths.length) {
      const shown = err.paths.slice(0, 50).map((p) => `- ${clip(p, 300)}`);
      if (err.paths.length > 50) shown.push(`- ... and ${err.paths.length - 50} more`);
      d.detail = [d.detail, shown.join('\n')].filter(Boolean).join('\n');
    }
    let out = renderDiagnostic(d);
    if (opts.verbose && err.cause) out += `\n  cause: ${String((err.cause as Error).stack ?? err.cause)}\n`;
    return out;
  }
  const e = err as Error;
  return renderDiagnostic({
    severity: 'error',
    code: 'internal',
    summary: e?.message ?? String(err),
    detail: opts.verbose ? e?.stack : undefined,
    hint: 'This is a bug in wso2update; set WSO2UPDATE_DEBUG=1 for the stack and report it.',
  });
}

/** The same error for `--json` callers, on stdout: `{"error": {code, exitCode, summary, detail, hint, paths}}`. */
export function renderErrorJson(err: unknown): string {
  const e = err instanceof UpdateError ? err : null;
  const error = {
    code: e?.code ?? 'internal',
    exitCode: exitCodeOf(err),
    summary: e?.message ?? (err as Error)?.message ?? String(err),
    detail: e?.detail ?? null,
    hint: e?.hint ?? null,
    paths: e?.paths ?? [],
  };
  return `${JSON.stringify({ error }, null, 2)}\n`;
}
