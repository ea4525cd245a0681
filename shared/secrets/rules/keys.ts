import type { SecretRule } from '../rule';

/** The body of a PEM block: base64 lines, and the headers of an encrypted key. */
const PEM_BODY = String.raw`(?<secret>[A-Za-z0-9+/=\s:,-]{64,}?)`;

function privateKey(id: string, title: string, label: string): SecretRule {
  return {
    id,
    title,
    severity: 'HIGH',
    keywords: [`begin ${label.toLowerCase()}`],
    pattern: new RegExp(`-----BEGIN ${label}-----\\s*${PEM_BODY}\\s*-----END ${label}-----`),
  };
}

/** Private keys in every common encoding, encrypted or not; tokens that are keys themselves. */
export const KEY_RULES: readonly SecretRule[] = [
  privateKey('private-key-rsa', 'RSA private key (PKCS#1, encrypted or not)', 'RSA PRIVATE KEY'),
  privateKey('private-key-ec', 'EC private key (SEC 1)', 'EC PRIVATE KEY'),
  privateKey('private-key-dsa', 'DSA private key', 'DSA PRIVATE KEY'),
  privateKey('private-key-openssh', 'OpenSSH private key', 'OPENSSH PRIVATE KEY'),
  privateKey('private-key-pkcs8', 'PKCS#8 private key', 'PRIVATE KEY'),
  privateKey(
    'private-key-pkcs8-encrypted',
    'Encrypted PKCS#8 private key',
    'ENCRYPTED PRIVATE KEY',
  ),
  privateKey('private-key-pgp', 'PGP private key block', 'PGP PRIVATE KEY BLOCK'),
  {
    id: 'private-key-putty',
    title: 'PuTTY private key',
    severity: 'HIGH',
    keywords: ['putty-user-key-file-'],
    pattern:
      /PuTTY-User-Key-File-\d: [\w-]+\s+Encryption: [\w-]+[\s\S]{0,300}?Private-Lines: \d+\s+(?<secret>[A-Za-z0-9+/=\s]{40,}?)\s+Private-MAC:/,
  },
  {
    id: 'age-secret-key',
    title: 'age encryption secret key',
    severity: 'HIGH',
    keywords: ['age-secret-key-1'],
    pattern: /\b(?<secret>AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58})\b/,
  },
  {
    id: 'jwt',
    title: 'JSON Web Token',
    severity: 'MEDIUM',
    keywords: ['eyj'],
    pattern:
      /\b(?<secret>eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})(?![A-Za-z0-9_-])/,
  },
];
