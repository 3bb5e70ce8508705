// Secret masking per format: what is masked, what is left readable, and that diffs and markers keep their shape.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatOf, isSecretKey, maskDiff, maskLine, maskText, MASK, type SecretFormat } from '../../src/core/secrets.js';

const M = MASK;
const cases: [SecretFormat, string, string][] = [
  // toml (deployment.toml)
  ['toml', 'password = "wso2carbon"', `password = "${M}"`],
  ['toml', '  key_password = \'abc\'  # keep', `  key_password = '${M}'  # keep`],
  ['toml', 'truststore.password = "x"', `truststore.password = "${M}"`],
  ['toml', 'admin = { username = "admin", password = "admin" }', `admin = { username = "admin", password = "${M}" }`],
  ['toml', 'client_secret = 12345', `client_secret = ${M}`],
  ['toml', 'hostname = "localhost"', 'hostname = "localhost"'],
  ['toml', 'username = "admin"', 'username = "admin"'],
  ['toml', '[keystore.primary]', '[keystore.primary]'],
  ['toml', 'password = "crlf"\r', `password = "${M}"\r`],
  // properties
  ['properties', 'db.password=secret123', `db.password=${M}`],
  ['properties', 'api_key : abc', `api_key : ${M}`],
  ['properties', 'auth.token secretvalue', `auth.token ${M}`],
  ['properties', '# password=commented', '# password=commented'],
  ['properties', 'db.url=jdbc:h2:./db', 'db.url=jdbc:h2:./db'],
  ['properties', 'keystore.password=', 'keystore.password='],
  // xml (elements and attributes)
  ['xml', '<Password>admin</Password>', `<Password>${M}</Password>`],
  ['xml', '  <Property name="ConnectionPassword">admin</Property>', `  <Property name="ConnectionPassword">${M}</Property>`],
  ['xml', '<KeyStore password="wso2carbon" type="JKS"/>', `<KeyStore password="${M}" type="JKS"/>`],
  ['xml', '<Property name="ConnectionURL">jdbc:h2:x</Property>', '<Property name="ConnectionURL">jdbc:h2:x</Property>'],
  ['xml', '<UserName>admin</UserName>', '<UserName>admin</UserName>'],
  ['xml', '<private-key>MIIB</private-key>', `<private-key>${M}</private-key>`],
  // yaml
  ['yaml', 'password: hunter2', `password: ${M}`],
  ['yaml', '  - access_token: "abc" # ci', `  - access_token: "${M}" # ci`],
  ['yaml', 'passphrase: |', 'passphrase: |'],
  ['yaml', 'user: admin', 'user: admin'],
  ['yaml', 'signing_key: abc', `signing_key: ${M}`],
];

test('each format masks secret values and keeps the rest', () => {
  for (const [format, input, want] of cases) assert.is(maskLine(input, format), want, `${format}: ${input}`);
});

test('secret keys: the listed words and *_key as the last word, case-insensitive; not ordinary keys', () => {
  for (const k of ['Password', 'DB_PASSWORD', 'clientSecret', 'refresh-token', 'Passphrase', 'private key', 'PrivateKey', 'api_key', 'signing-key', 'keystore.primary.key_password', '"client.secret"']) {
    assert.ok(isSecretKey(k), k);
  }
  for (const k of ['username', 'keystore', 'key_store_type', 'hostname', 'monkey', 'allow_refresh_tokens', 'token_endpoint', 'key']) assert.not.ok(isSecretKey(k), k);
});

test('format is chosen by file name, templates by what they render', () => {
  assert.is(formatOf('repository/conf/deployment.toml'), 'toml');
  assert.is(formatOf('repository/resources/conf/templates/repository/conf/carbon.xml.j2'), 'xml');
  assert.is(formatOf('repository/conf/log4j2.properties'), 'properties');
  assert.is(formatOf('a/b.yml'), 'yaml');
  assert.is(formatOf('bin/wso2server.sh'), 'unknown');
  assert.is(maskLine('export DB_PASSWORD=abc', 'unknown'), `export DB_PASSWORD=${M}`);
});

test('a diff keeps its headers and prefixes; markers keep their marker lines', () => {
  const diff = ['--- a/conf/deployment.toml', '+++ b/conf/deployment.toml', '@@ -1,2 +1,2 @@', ' [super_admin]', '-password = "old"', '+password = "new"', ''].join('\n');
  const want = ['--- a/conf/deployment.toml', '+++ b/conf/deployment.toml', '@@ -1,2 +1,2 @@', ' [super_admin]', `-password = "${M}"`, `+password = "${M}"`, ''].join('\n');
  assert.is(maskDiff(diff, 'conf/deployment.toml'), want);
  const markers = ['<<<<<<< installed', 'password=mine', '||||||| base', 'password=base', '=======', 'password=theirs', '>>>>>>> target', ''].join('\n');
  const masked = maskText(markers, 'x.properties');
  assert.is(masked.split('\n').filter((l) => l.includes(M)).length, 3);
  assert.ok(masked.startsWith('<<<<<<< installed\n'));
  assert.ok(masked.includes('\n=======\n'));
  assert.not.ok(masked.includes('mine') || masked.includes('theirs\n'));
});

test.run();
