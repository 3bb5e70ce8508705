// core/changelog: the changelog file WSO2's tool leaves after an update, plus the merged and conflict sections.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { changelogName, pad4, renderChangelog } from '../../src/core/changelog.js';

test('names: levels padded to four digits, longer levels kept whole', () => {
  assert.is(pad4(0), '0000');
  assert.is(pad4(42), '0042');
  assert.is(pad4(12345), '12345');
  assert.is(changelogName(3, 4), 'updates/changelog-0003-0004.md');
});

test('render: WSO2\'s headings with counts, paths sorted, _None_ for an empty section', () => {
  const text = renderChangelog({
    product: 'wso2am-4.2.0', fromLevel: 1, toLevel: 12,
    added: ['lib/z.jar', 'lib/a.jar'], updated: ['bin/wso2server.sh'], removed: [],
    merged: ['repository/conf/deployment.toml'],
    conflicts: [{ path: 'lib/y.jar', outcome: 'kept yours' }, { path: 'lib/b.jar', outcome: 'took theirs' }],
  });
  assert.is(text, [
    '# Changelog', '',
    '- **Product:** wso2am 4.2.0',
    '- **Update levels:** 0001 -> 0012', '',
    '## Added Files (2)', '', '- lib/a.jar', '- lib/z.jar', '',
    '## Updated Files (1)', '', '- bin/wso2server.sh', '',
    '## Removed Files (0)', '', '_None_', '',
    '## Merged Files (1)', '', '- repository/conf/deployment.toml', '',
    '## Conflicts (2)', '', '- lib/b.jar: took theirs', '- lib/y.jar: kept yours', '',
  ].join('\n'));
});

test('a product name outside WSO2\'s pattern is printed as it is', () => {
  const text = renderChangelog({ product: 'custom', fromLevel: 0, toLevel: 1, added: [], updated: [], removed: [], merged: [], conflicts: [] });
  assert.match(text, '- **Product:** custom\n');
  assert.is(text.split('_None_').length - 1, 5);
});

test.run();
