import type { SecretRule } from '../rule';

/** Package registries and container registries: the credentials a build leaves behind. */
export const REGISTRY_RULES: readonly SecretRule[] = [
  {
    id: 'npm-access-token',
    title: 'npm access token',
    severity: 'CRITICAL',
    keywords: ['npm_'],
    pattern: /\b(?<secret>npm_[A-Za-z0-9]{36})\b/,
  },
  {
    id: 'npmrc-auth-token',
    title: 'npm registry auth token (.npmrc _authToken)',
    severity: 'CRITICAL',
    keywords: ['_authtoken'],
    pattern: /_authToken\s*=\s*["']?(?<secret>[^\s"'$]{8,})/,
  },
  {
    id: 'npmrc-auth',
    title: 'npm registry basic credentials (.npmrc _auth or _password)',
    severity: 'CRITICAL',
    keywords: ['_auth', '_password'],
    pattern:
      /(?:^|[\s:])_(?:auth|password)\s*=\s*["']?(?<secret>[A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/m,
  },
  {
    id: 'pypi-upload-token',
    title: 'PyPI upload token',
    severity: 'CRITICAL',
    keywords: ['pypi-ageichlwas5vcmc'],
    pattern: /\b(?<secret>pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])/,
  },
  {
    id: 'docker-config-auth',
    title: 'Registry credentials in a Docker config.json',
    severity: 'CRITICAL',
    keywords: ['"auths"'],
    pattern: /"auths"\s*:\s*\{[\s\S]{0,2000}?"auth"\s*:\s*"(?<secret>[A-Za-z0-9+/]{8,}={0,2})"/,
  },
  {
    id: 'netrc-password',
    title: 'Password in a .netrc',
    severity: 'HIGH',
    keywords: ['machine'],
    pattern: /\bmachine\s+\S+\s+login\s+\S+\s+password\s+(?<secret>[^\s#"'{}$]{6,})(?=\s|$)/,
  },
];
