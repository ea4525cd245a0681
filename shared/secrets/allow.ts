import type { AllowRule } from './rule';

/**
 * What is never reported, each exception with its reason. Paths are relative to the image root;
 * values are tested against the secret itself.
 */
export const ALLOW_RULES: readonly AllowRule[] = [
  {
    id: 'documented-example-keys',
    description:
      "The example credentials of vendors' documentation and of RFCs (AWS's AKIAIOSFODNN7EXAMPLE, OAuth's 2YotnFZFEjr1zCsicMWpAA, jwt.io's token)",
    secret:
      /^(?:AKIAIOSFODNN7EXAMPLE|AKIAI44QH8DHBEXAMPLE|wJalrXUtnFEMI\/K7MDENG\/bPxRfiCYEXAMPLEKEY|je7MtGbClwBF\/2Zp9Utk\/h3yCo8nvbEXAMPLEKEY|2YotnFZFEjr1zCsicMWpAA|tGzv3JOkF0XG5Qx2TlKWIA|ad180jjd733klru7|eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ\.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c)$/,
  },
  {
    id: 'placeholder-values',
    description:
      'Placeholders: example, sample, dummy, changeme, your…, x or * runs, template variables',
    secret:
      /example|sample|dummy|placeholder|changeme|change_me|redacted|^your|x{6,}|X{6,}|\*{3,}|\.{3}|\$\{|\{\{|<[A-Za-z_-]+>|%\(|^\$[A-Z_]+$|^0{8,}$/i,
  },
  {
    id: 'package-documentation',
    description: 'Documentation installed by packages: manuals, info pages, READMEs and examples',
    path: /^usr\/(?:local\/)?share\/(?:doc|man|info|gtk-doc|help|licenses|common-licenses)\//,
  },
  {
    id: 'nested-documentation',
    description: "Documentation directories of packages outside usr/share/doc (vim's, perl's)",
    path: /^usr\/(?:local\/)?share\/(?:[^/]+\/)+doc\//,
  },
  {
    id: 'package-metadata-readmes',
    description: 'Python package metadata, which carries the project README with its examples',
    path: /\.(?:egg-info\/PKG-INFO|dist-info\/METADATA)$/,
  },
  {
    id: 'package-test-fixtures',
    description: 'Test suites and fixtures shipped inside installed language packages',
    path: /(?:^|\/)(?:node_modules|site-packages|dist-packages|gems|vendor|pkg\/mod)\/(?:.*\/)?(?:tests?|__tests__|testdata|spec|fixtures?|examples?)\//,
  },
  {
    id: 'language-sources-of-test-tools',
    description: "Python's own test suite (usr/lib/python3.x/test), full of sample keys",
    path: /^usr\/lib\/python3(?:\.\d+)?\/test\//,
  },
  {
    id: 'certificate-bundles',
    description: 'Public CA certificate stores, which hold no private keys',
    path: /^(?:etc\/ssl\/certs|usr\/share\/ca-certificates|etc\/pki\/ca-trust)\//,
  },
];

/** The allow rule that excludes `path`, if any. */
export function allowedPath(path: string): AllowRule | undefined {
  return ALLOW_RULES.find((rule) => rule.path?.test(path) === true);
}

/** The allow rule that excludes `secret`, if any. */
export function allowedSecret(secret: string): AllowRule | undefined {
  return ALLOW_RULES.find((rule) => rule.secret?.test(secret) === true);
}
