// WSO2's --template fields, as WSO2's Ansible scripts use and parse them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { renderWso2Template } from '../../src/core/template.js';

const fields = { Added: ['lib/a.jar'], Modified: ['bin/x.sh', 'conf/y.toml'], Removed: [], Conflicts: ['conf/z.xml'] };

test('the Ansible template renders Go-style lists', () => {
  assert.is(renderWso2Template('Modified: {{.Modified}}, Conflicts: {{.Conflicts}}', fields), 'Modified: [bin/x.sh conf/y.toml], Conflicts: [conf/z.xml]');
});

test('empty lists, counts, whitespace trimming markers and escapes', () => {
  assert.is(renderWso2Template('{{ .Removed }}|{{len .Modified}}|{{- .Added -}}\\n', fields), '[]|2|[lib/a.jar]\n');
});

test('unknown expressions are refused rather than printed wrongly', () => {
  assert.throws(() => renderWso2Template('{{.Changed}}', fields), /unsupported expression/);
  assert.throws(() => renderWso2Template('{{range .Added}}x{{end}}', fields), /unsupported/);
});

test.run();
