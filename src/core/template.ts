// WSO2's `--template` output, which WSO2's Ansible scripts parse ("Modified: {{.Modified}}, Conflicts: {{.Conflicts}}"):
// Go text/template field references only, lists printed Go-style as `[a b c]`. Anything else in braces is an error,
// because a silently wrong line would be parsed wrongly by a script.
import { UpdateError } from './errors.js';
import type { Plan } from './model.js';

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

/** The WSO2 fields of a plan: what it adds, modifies (replace, merge, chmod, a conflict taken from the update), removes, and leaves in conflict. */
export function templateFieldsOf(plan: Plan): TemplateFields {
  const f: TemplateFields = { Added: [], Modified: [], Removed: [], Conflicts: [] };
  for (const a of plan.actions) {
    if (a.action === 'add') f.Added.push(a.path);
    else if (a.action === 'remove') f.Removed.push(a.path);
    else if (a.action !== 'conflict') f.Modified.push(a.path);
    else if (a.resolution === 'stop') f.Conflicts.push(a.path);
    else if (a.resolution === 'take-theirs') (a.target === null ? f.Removed : a.base === null ? f.Added : f.Modified).push(a.path);
  }
  return f;
}
