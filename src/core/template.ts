// WSO2's `--template` output, which WSO2's Ansible scripts parse ("Modified: {{.Modified}}, Conflicts: {{.Conflicts}}"):
// Go text/template field references only, lists printed Go-style as `[a b c]`. Anything else in braces is an error,
// because a silently wrong line would be parsed wrongly by a script.
import { UpdateError } from './errors.js';

export interface TemplateFields {
  Added: string[];
  Modified: string[];
  Removed: string[];
  Conflicts: string[];
}

const goList = (xs: string[]): string => `[${xs.join(' ')}]`;

export function renderWso2Template(template: string, fields: TemplateFields): string {
  const text = template.replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return text.replace(/\{\{-?\s*([^}]*?)\s*-?\}\}/g, (_m, expr: string) => {
    const field = /^\.(Added|Modified|Removed|Conflicts)$/.exec(expr);
    if (field) return goList(fields[field[1] as keyof TemplateFields]);
    const count = /^len\s+\.(Added|Modified|Removed|Conflicts)$/.exec(expr);
    if (count) return String(fields[count[1] as keyof TemplateFields].length);
    throw new UpdateError('usage', `--template: unsupported expression {{${expr}}}`, {
      hint: 'Supported: {{.Added}}, {{.Modified}}, {{.Removed}}, {{.Conflicts}} and {{len .Added}} (likewise for the others).',
    });
  });
}
