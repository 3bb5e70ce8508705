// Text detection (git's NUL rule plus UTF-8), the replace-not-merge and binary kinds, and line-ending detection.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeText, detectEol, isMergeable, isText } from '../../../src/core/merge/mergeable.js';

const enc = (s: string) => new TextEncoder().encode(s);

test('isText: NUL within the first 8000 bytes is binary, later it is not looked at (git rule)', () => {
  const rows: [string, Uint8Array, boolean][] = [
    ['empty', new Uint8Array(0), true],
    ['ascii', enc('a = 1\n'), true],
    ['utf-8 with accents', enc('name = "Ünïcødé ✓"\n'), true],
    ['NUL at start', Uint8Array.from([0, 65, 10]), false],
    ['NUL at byte 7999', Uint8Array.from({ length: 9000 }, (_, i) => (i === 7999 ? 0 : 65)), false],
    ['NUL at byte 8000 (past the sniff window)', Uint8Array.from({ length: 9000 }, (_, i) => (i === 8000 ? 0 : 65)), true],
    ['latin-1 byte (not UTF-8: binary here)', Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 10]), false],
    ['truncated UTF-8 sequence', Uint8Array.from([0xe2, 0x9c]), false],
    ['overlong encoding', Uint8Array.from([0xc0, 0xaf]), false],
    ['jar magic (PK\\3\\4 then NULs)', Uint8Array.from([0x50, 0x4b, 3, 4, 20, 0, 0, 0]), false],
  ];
  for (const [name, bytes, want] of rows) assert.is(isText(bytes), want, name);
});

test('decodeText keeps a byte-order mark and round-trips the bytes exactly', () => {
  const bytes = Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('k=v\r\n')]);
  const text = decodeText(bytes);
  assert.is(text, '\ufeffk=v\r\n');
  assert.equal(new TextEncoder().encode(text!), bytes);
  assert.is(decodeText(Uint8Array.from([0xff])), null);
});

test('isMergeable: WSO2 replace-not-merge files and binary kinds are not merged', () => {
  const rows: [string, boolean][] = [
    ['repository/conf/deployment.toml', true],
    ['repository/conf/carbon.xml', true],
    ['bin/wso2server.sh', true],
    ['repository/conf/log4j2.properties', true],
    ['README', true],
    ['repository/resources/conf/templates/repository/conf/carbon.xml.j2', false],
    ['repository/resources/conf/default.json', false],
    ['some/module/pom.xml', false],
    ['some/module/pom.properties', false],
    ['repository/components/plugins/org.wso2.carbon.core_4.9.0.jar', false],
    ['repository/deployment/server/webapps/oauth2.war', false],
    ['repository/resources/security/wso2carbon.jks', false],
    ['repository/resources/security/client.P12', false],
    ['lib/native/libfoo.so', false],
    ['updates/bundle.tar.gz', false],
    ['docs/logo.PNG', false],
    ['notes.pdf', false],
    ['repository/conf/x.jar.txt', true],
  ];
  for (const [p, want] of rows) assert.is(isMergeable(p), want, p);
});

test('detectEol', () => {
  const rows: [string, string][] = [
    ['', 'none'],
    ['no newline', 'none'],
    ['a\nb\n', 'lf'],
    ['a\r\nb\r\n', 'crlf'],
    ['a\r\nb\n', 'mixed'],
    ['a\rb\r', 'none'],
    ['\n', 'lf'],
    ['\r\n', 'crlf'],
  ];
  for (const [t, want] of rows) assert.is(detectEol(t), want, JSON.stringify(t));
});

test.run();
