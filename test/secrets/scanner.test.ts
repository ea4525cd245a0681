import { ALLOW_RULES, allowedPath } from '../../shared/secrets/allow';
import { SECRET_RULES } from '../../shared/secrets/rules';
import { SecretScanner, entropy } from '../../shared/secrets/scanner';
import { BASE64, fake } from './examples';

const scanner = new SecretScanner(SECRET_RULES);

describe('SecretScanner', () => {
  describe('when a file holds secrets', () => {
    const keyId = `AKIA${fake(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    const secretKey = fake(40, BASE64);
    const text = `[default]\naws_access_key_id = ${keyId}\naws_secret_access_key = ${secretKey}\n`;
    const found = scanner.scanBytes(Buffer.from(text));

    it('reports each with its rule, severity and 1-based line', () => {
      expect(found.map((m) => [m.rule, m.severity, m.line])).toEqual([
        ['aws-access-key-id', 'CRITICAL', 2],
        ['aws-secret-access-key', 'CRITICAL', 3],
      ]);
    });

    it('shows the match redacted: the first characters, then stars', () => {
      expect(found[0]!.match).toBe(`aws_access_key_id = AKIA${'*'.repeat(16)}`);
      expect(found[1]!.match).toBe(
        `aws_secret_access_key = ${secretKey.slice(0, 4)}${'*'.repeat(16)}`,
      );
    });

    it('never shows a secret in full, even another one in the same context', () => {
      const oneLine = `export AWS_ACCESS_KEY_ID=${keyId} AWS_SECRET_ACCESS_KEY=${secretKey}`;
      const matches = scanner.scanText(oneLine);
      expect(matches).toHaveLength(2);
      for (const match of matches) {
        expect(match.match).not.toContain(keyId);
        expect(match.match).not.toContain(secretKey.slice(4, 12));
      }
    });
  });

  describe('when a file is binary', () => {
    it('reads nothing from it (a NUL in its first 8 KiB)', () => {
      const bytes = Buffer.concat([
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]),
        Buffer.from(`ghp_${fake(36)}`),
      ]);
      expect(scanner.scanBytes(bytes)).toEqual([]);
    });
  });

  describe('when a secret is a documented example or a placeholder', () => {
    it.each([
      'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'api_key = "your_api_key_goes_here_1234"',
      'password = "${DATABASE_PASSWORD_FROM_VAULT}"',
      'DATABASE_URL=postgres://user:changeme@db/app',
      `token: "${'x'.repeat(32)}"`,
      'access_token=2YotnFZFEjr1zCsicMWpAA&token_type=example',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    ])('reports nothing for %j', (text) => {
      expect(scanner.scanText(text)).toEqual([]);
    });
  });
});

describe('the allow rules', () => {
  it('each have an id, a reason and a path or secret pattern', () => {
    expect(new Set(ALLOW_RULES.map((r) => r.id)).size).toBe(ALLOW_RULES.length);
    for (const rule of ALLOW_RULES) {
      expect(rule.description).not.toBe('');
      expect(rule.path ?? rule.secret).toBeDefined();
    }
  });

  it.each([
    ['usr/share/doc/openssl/README.md', 'package-documentation'],
    ['usr/share/man/man1/ssh.1.gz', 'package-documentation'],
    ['usr/share/vim/vim90/doc/pi_netrw.txt', 'nested-documentation'],
    ['usr/lib/python3/dist-packages/PyJWT-2.6.0.egg-info/PKG-INFO', 'package-metadata-readmes'],
    [
      'usr/lib/python3.11/site-packages/requests-2.31.0.dist-info/METADATA',
      'package-metadata-readmes',
    ],
    ['usr/lib/node_modules/jsonwebtoken/test/keys/priv.pem', 'package-test-fixtures'],
    ['usr/lib/python3/dist-packages/requests/tests/test_auth.py', 'package-test-fixtures'],
    ['go/pkg/mod/golang.org/x/crypto@v0.1.0/ssh/testdata/keys.go', 'package-test-fixtures'],
    ['usr/lib/python3.11/test/keycert.pem', 'language-sources-of-test-tools'],
    ['etc/ssl/certs/ca-certificates.crt', 'certificate-bundles'],
  ])('passes over %s (%s)', (path, id) => {
    expect(allowedPath(path)?.id).toBe(id);
  });

  it.each([
    'root/.aws/credentials',
    'app/config/settings.py',
    'usr/lib/node_modules/app/index.js',
    'home/app/tests.txt',
  ])('reads %s', (path) => {
    expect(allowedPath(path)).toBeUndefined();
  });
});

describe('entropy', () => {
  it('is 0 for one repeated character and log2(n) for n distinct ones', () => {
    expect(entropy('aaaa')).toBe(0);
    expect(entropy('abcd')).toBe(2);
  });
});
