// allowed_signers (ssh-keygen(1) ALLOWED SIGNERS): what reads, what is refused with its line number, and the
// pattern-lists used for principals and namespaces; lines ssh-keygen itself accepts read the same here.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UpdateError } from '../../../src/core/errors.js';
import { parseAllowedSigners, parseWallTime } from '../../../src/core/approval/allowed-signers.js';
import { matchPattern, matchPatternList } from '../../../src/core/approval/pattern.js';
import { nodeKey } from '../../helpers/ssh.js';

const ed = nodeKey('ed25519').pub;
const ec = nodeKey('ecdsa-256').pub;

test('principals, options, quotes, comments and blank lines', () => {
  const lines = parseAllowedSigners([
    '# change board',
    '',
    `alice@example.com ${ed} alice laptop`,
    `"bob@example.com,carol@example.com" namespaces="wso2update-plan,file",valid-after="20260101",valid-before="202612312359Z" ${ec}`,
    `  dave@example.com  VALID-BEFORE="20270101000000Z"  ${ed}\r`,
  ].join('\n'));
  assert.is(lines.length, 3);
  assert.equal([lines[0].line, lines[0].principals, lines[0].namespaces], [3, 'alice@example.com', undefined]);
  assert.is(lines[1].principals, 'bob@example.com,carol@example.com');
  assert.is(lines[1].namespaces, 'wso2update-plan,file');
  assert.equal(lines[1].validAfter, { year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0, utc: false });
  assert.equal(lines[1].validBefore, { year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 0, utc: true });
  assert.is(lines[2].validBefore?.utc, true);
  assert.match(lines[0].fingerprint, /^SHA256:/);
});

const refused: [string, RegExp][] = [
  [`*@example.com cert-authority ${ed}`, /line 1: cert-authority .* not supported/],
  [`alice@example.com`, /no public key/],
  [`alice@example.com foo="bar" ${ed}`, /unknown option "foo"/],
  [`alice@example.com valid-after="2026-01-01" ${ed}`, /not a time/],
  [`alice@example.com valid-after="20260230" ${ed}`, /not a time/],
  [`alice@example.com valid-after="2026010112" ${ed}`, /not a time/],
  [`alice@example.com valid-after=20260101 ${ed}`, /cannot read option/],
  [`alice@example.com namespaces="" ${ed}`, /not a pattern-list/],
  [`alice@example.com,,bob ${ed}`, /not a comma-separated list/],
  [`"alice@example.com ${ed}`, /no principals/],
  [`alice@example.com ssh-rsa ${ed.split(' ')[1]}`, /ssh-ed25519 key but the line says ssh-rsa/],
  [`alice@example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA==`, /truncated/],
];
for (const [line, pattern] of refused) {
  test(`refused: ${line.slice(0, 60)}`, () => {
    try {
      parseAllowedSigners(`${line}\n`, 'signers');
      assert.unreachable('accepted');
    } catch (err) {
      assert.instance(err, UpdateError);
      assert.is((err as UpdateError).code, 'invalid-input');
      assert.match((err as Error).message, pattern);
    }
  });
}

test('a huge file is refused before it is read line by line', () => {
  assert.throws(() => parseAllowedSigners('#'.repeat(2 * 1024 * 1024)), /too large/);
});

test('wall times: leap days, ranges', () => {
  assert.ok(parseWallTime('20280229'));
  assert.not.ok(parseWallTime('20270229'));
  assert.not.ok(parseWallTime('20261301'));
  assert.not.ok(parseWallTime('202601012460'));
  assert.equal(parseWallTime('20260101123045Z'), { year: 2026, month: 1, day: 1, hour: 12, minute: 30, second: 45, utc: true });
});

test('patterns: * and ? and negation, as ssh_config(5) PATTERNS', () => {
  assert.ok(matchPattern('alice@example.com', '*@example.com'));
  assert.ok(matchPattern('alice@example.com', 'alic?@example.*'));
  assert.not.ok(matchPattern('alice@example.org', '*@example.com'));
  assert.not.ok(matchPattern('Alice@example.com', 'alice@example.com'));
  assert.is(matchPatternList('wso2update-plan', 'file,wso2update-*'), 1);
  assert.is(matchPatternList('wso2update-plan', '!wso2update-plan,*'), -1);
  assert.is(matchPatternList('git', 'file,email'), 0);
  // No exponential blow-up on a hostile pattern.
  assert.not.ok(matchPattern('a'.repeat(5000), `${'*a'.repeat(200)}b`));
});

test.run();
