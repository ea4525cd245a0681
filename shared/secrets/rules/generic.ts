import type { SecretRule } from '../rule';

/** URL schemes of databases and brokers whose URLs may carry a password. */
const DATABASE_SCHEMES = [
  'postgres',
  'postgresql',
  'mysql',
  'mariadb',
  'mongodb',
  'mongodb+srv',
  'redis',
  'rediss',
  'amqp',
  'amqps',
  'mssql',
  'sqlserver',
  'jdbc:mysql',
  'jdbc:postgresql',
];

/** Words that name a secret in an assignment (`api_key = "…"`). */
const SECRET_NAMES = String.raw`(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|auth[_-]?key|private[_-]?key|client[_-]?secret|credentials?)`;

/** Rules that key on context rather than on a vendor's prefix. */
export const GENERIC_RULES: readonly SecretRule[] = [
  {
    id: 'database-url-password',
    title: 'Password in a database or broker URL',
    severity: 'HIGH',
    keywords: DATABASE_SCHEMES.map((scheme) => `${scheme}://`),
    pattern: new RegExp(
      String.raw`\b(?:${DATABASE_SCHEMES.map((s) => s.replace(/[+:]/g, '\\$&')).join('|')})://[^\s:@/'"<>]+:(?<secret>[^\s@/'"<>]{3,})@[^\s'"<>]+`,
    ),
  },
  {
    id: 'generic-secret-assignment',
    title: 'Secret assigned to a variable named like one',
    severity: 'MEDIUM',
    keywords: [
      'passwd',
      'password',
      'pwd',
      'secret',
      'token',
      'api_key',
      'api-key',
      'apikey',
      'access_key',
      'access-key',
      'auth_key',
      'private_key',
      'client_secret',
      'credential',
    ],
    pattern: new RegExp(
      String.raw`${SECRET_NAMES}[\w.-]{0,20}["']?\s*(?:=|:=|:|=>)\s*(?:"(?<secret>[^"\s]{12,120})"|'(?<secret2>[^'\s]{12,120})'|(?<secret3>[A-Za-z0-9+/_.=-]{16,120})(?![^\s;,)]))`,
      'i',
    ),
    minEntropy: 3.5,
    // Random tokens mix letters and digits; code assigns identifiers (`self.password`,
    // `rsa.RSAPrivateKey`), URLs and paths, which do not or are not secrets.
    shape: /^(?=[^]*\d)(?=[^]*[A-Za-z])(?![A-Za-z_]\w*(?:\.\w+)+$)(?![a-z][a-z+.-]*:\/\/|\/)/,
    fallback: true,
  },
];
