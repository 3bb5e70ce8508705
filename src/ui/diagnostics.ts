// The one renderer of errors and warnings: summary, detail, the paths concerned and what to do next.
import { exitCodeOf, UpdateError, type Diagnostic } from '../core/errors.js';

export function renderDiagnostic(d: Diagnostic): string {
  const lines = [`${d.severity === 'error' ? 'Error' : d.severity === 'warning' ? 'Warning' : 'Note'}: ${d.summary}`];
  if (d.detail) lines.push('', ...d.detail.split('\n').map((l) => `  ${l}`));
  if (d.hint) lines.push('', `  ${d.hint}`);
  return `${lines.join('\n')}\n`;
}

export function renderError(err: unknown, opts: { verbose?: boolean } = {}): string {
  if (err instanceof UpdateError) {
    const d = err.toDiagnostic();
    if (err.paths && err.paths.length) {
      const shown = err.paths.slice(0, 50).map((p) => `- ${p}`);
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
