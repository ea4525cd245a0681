import type { Finding } from '../../shared/match';
import type { ScanReport } from '../../shared/scan';
import type { AsffTarget } from '../../shared/securityhub';

export const LAYER = `sha256:${'1'.repeat(64)}`;
export const MANIFEST = `sha256:${'a'.repeat(64)}`;
export const INDEX = `sha256:${'b'.repeat(64)}`;
export const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';

export const TARGET: AsffTarget = {
  accountId: '123456789012',
  region: 'eu-west-1',
  registryId: '123456789012',
  repository: 'payments/api',
  tags: ['1.4.2'],
  observedAt: '2026-12-07T12:00:00.000Z',
};

export function vulnerability(overrides: Partial<Finding> = {}): Finding {
  return {
    id: 'DSA-5532-1',
    aliases: ['CVE-2023-5678'],
    purl: 'pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64',
    package: 'openssl',
    installedVersion: '3.0.11-1~deb12u1',
    fixedVersion: '3.0.11-1~deb12u2',
    status: 'fixed',
    severity: 'HIGH',
    cvss: { score: 7.5, vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' },
    severitySource: 'cvss',
    source: 'OSV:Debian:12',
    summary: 'openssl: denial of service via excessive DH parameters',
    layer: LAYER,
    path: 'var/lib/dpkg/status',
    suppressedBy: null,
    ...overrides,
  };
}

/** A platform report with one of each kind of finding, and what must stay out. */
export function scanReport(overrides: Partial<ScanReport> = {}): ScanReport {
  return {
    schemaVersion: 1,
    image: {
      reference: `${REGISTRY}/payments/api:1.4.2`,
      digest: INDEX,
      platform: 'linux/amd64',
      manifestDigest: MANIFEST,
    },
    os: null,
    packages: [],
    problems: [],
    vulnerabilities: [
      vulnerability({
        kev: {
          cveID: 'CVE-2023-5678',
          dateAdded: '2024-01-10',
          dueDate: '2024-01-31',
          knownRansomwareCampaignUse: 'Unknown',
        },
        epss: { score: 0.42, percentile: 0.97, date: '2026-12-01' },
      }),
      vulnerability({
        id: 'GHSA-xxxx-yyyy-zzzz',
        aliases: [],
        purl: 'pkg:npm/lodash@4.17.20',
        package: 'lodash',
        installedVersion: '4.17.20',
        fixedVersion: null,
        status: 'not-fixed',
        severity: 'UNKNOWN',
        cvss: null,
        summary: null,
        path: 'app/node_modules/lodash/package.json',
      }),
      vulnerability({ id: 'CVE-2020-0001', suppressedBy: { kind: 'vex', reason: 'not_affected' } }),
    ],
    database: { version: 'v1', updatedAt: null, newestModified: null },
    vulnerabilityProblems: [],
    expiredIgnores: [],
    secrets: [
      {
        rule: 'aws-access-key-id',
        title: 'AWS access key ID',
        severity: 'CRITICAL',
        line: 3,
        match: 'AKIA****************',
        layer: LAYER,
        path: 'app/.env',
        removedInLayer: null,
      },
      {
        rule: 'generic-password',
        title: 'Password',
        severity: 'HIGH',
        line: 1,
        match: 'PASSWORD=hu****',
        layer: null,
        path: 'config.Env[2]',
        removedInLayer: null,
      },
    ],
    sensitiveFiles: [
      {
        rule: 'ssh-private-key-file',
        title: 'SSH private key file',
        severity: 'HIGH',
        layer: LAYER,
        path: 'root/.ssh/id_rsa',
        removedInLayer: `sha256:${'2'.repeat(64)}`,
      },
    ],
    checks: [
      {
        id: 'user-root',
        title: 'Container runs as root',
        severity: 'MEDIUM',
        status: 'fail',
        evidence: ['no USER instruction'],
        cis: '4.1',
        dockle: 'CIS-DI-0001',
        remediation: 'Add a USER instruction naming a non-root user.',
      },
      {
        id: 'healthcheck-missing',
        title: 'No HEALTHCHECK',
        severity: 'LOW',
        status: 'pass',
        evidence: [],
        cis: '4.6',
        dockle: 'CIS-DI-0006',
        remediation: 'Add a HEALTHCHECK.',
      },
      {
        id: 'sudo-in-run',
        title: 'sudo in RUN',
        severity: 'MEDIUM',
        status: 'fail',
        evidence: ['RUN sudo apt-get install -y curl'],
        cis: null,
        dockle: 'DKL-DI-0001',
        remediation: 'Run the build step as the user it needs, without sudo.',
      },
    ],
    ...overrides,
  };
}
