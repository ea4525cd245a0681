import type {
  EvaluatedPlatform,
  FailureInput,
  ImageTarget,
  RecordInput,
  RecordedScan,
  RecordedVerdict,
  Trigger,
} from '../../shared/pipeline/states';

/*
 * The states the ScanImage steps after Evaluate read, built from a few choices so that each test
 * says only what it is about. Fixed times and digests: golden messages stay the same.
 */

export const REGISTRY = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
export const DIGEST = `sha256:${'7f5b2640fe6f'.padEnd(64, '0')}`;
export const OTHER_DIGEST = `sha256:${'c0ffee'.padEnd(64, '1')}`;
const MANIFEST_AMD64 = `sha256:${'a'.repeat(64)}`;
const MANIFEST_ARM64 = `sha256:${'b'.repeat(64)}`;

export function imageTarget(overrides: Partial<ImageTarget> = {}): ImageTarget {
  return {
    registry: REGISTRY,
    repository: 'payments/api',
    digest: DIGEST,
    tag: '1.4.2',
    ...overrides,
  };
}

export const TRIGGER: Trigger = {
  type: 'push',
  id: 'payments-api-1a2b3c4d-7f5b2640fe6f0000-5873412',
  actor: 'aws.ecr:123456789012',
  time: '2026-11-29T09:55:00.000Z',
};

/** A platform that passes with nothing found, changed by `overrides`. */
export function evaluatedPlatform(
  overrides: Partial<EvaluatedPlatform> = {},
  scanId = 'scan-1',
): EvaluatedPlatform {
  const platform = overrides.platform ?? 'linux/amd64';
  const manifestDigest =
    overrides.manifestDigest ?? (platform === 'linux/arm64' ? MANIFEST_ARM64 : MANIFEST_AMD64);
  const base = `scans/${scanId}/${manifestDigest.slice('sha256:'.length)}`;
  return {
    platform,
    manifestDigest,
    keys: {
      report: `${base}/report.json`,
      cyclonedx: `${base}/sbom.cdx.json`,
      spdx: `${base}/sbom.spdx.json`,
    },
    packages: 120,
    dataVersion: 'osv-2026-11-29T06:00:00Z',
    counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 },
    decision: 'pass',
    policy: { name: 'default', digest: `sha256:${'d'.repeat(64)}` },
    severeFindings: [],
    topFindings: [],
    secrets: 0,
    failedChecks: [],
    failedRules: [],
    signature: 'not-checked',
    ...overrides,
  };
}

/** A platform that fails: two critical findings (one without a fix), a high one and a secret. */
export function failingPlatform(overrides: Partial<EvaluatedPlatform> = {}): EvaluatedPlatform {
  return evaluatedPlatform({
    decision: 'fail',
    counts: { critical: 2, high: 1, medium: 4, low: 7, unknown: 0 },
    severeFindings: ['CVE-2026-0001', 'CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
    topFindings: [
      {
        id: 'CVE-2026-0001',
        severity: 'CRITICAL',
        package: 'openssl',
        version: '3.0.11-1~deb12u1',
        fixedVersion: '3.0.15-1~deb12u1',
      },
      {
        id: 'CVE-2026-0002',
        severity: 'CRITICAL',
        package: 'zlib1g',
        version: '1:1.2.13.dfsg-1',
        fixedVersion: null,
      },
      {
        id: 'GHSA-abcd-efgh-ijkl',
        severity: 'HIGH',
        package: 'express',
        version: '4.17.1',
        fixedVersion: '4.19.2',
      },
    ],
    secrets: 1,
    failedChecks: ['root-user'],
    failedRules: ['no-critical-vulnerabilities', 'no-secrets'],
    ...overrides,
  });
}

/** Record's input: one passing platform unless `platforms` says otherwise. */
export function recordInput(
  platforms: EvaluatedPlatform[] = [evaluatedPlatform()],
  overrides: Partial<RecordInput> = {},
): RecordInput {
  return {
    scanId: 'scan-1',
    image: imageTarget(),
    trigger: TRIGGER,
    startedAt: '2026-11-29T09:55:03.000Z',
    analyzerSet: 'analyzers-3f9a1c',
    platforms,
    ...overrides,
  };
}

/** The state after Record. */
export function recordedScan(
  input: RecordInput,
  record: Partial<RecordedVerdict> = {},
): RecordedScan {
  return {
    ...input,
    record: {
      decision: input.platforms.some((p) => p.decision === 'fail') ? 'fail' : 'pass',
      changed: true,
      reasons: [],
      newSevereFindings: [],
      summaryKey: `scans/${input.scanId}/summary.json`,
      ...record,
    },
  };
}

/** What a Catch hands RecordFailure. */
export function failureInput(overrides: Partial<FailureInput> = {}): FailureInput {
  return {
    image: imageTarget(),
    trigger: TRIGGER,
    scanId: 'scan-1',
    error: {
      Error: 'Clearance.Transient',
      Cause: JSON.stringify({
        errorType: 'Clearance.Transient',
        errorMessage: 'ThrottlingException: Rate exceeded',
        trace: ['Error: Rate exceeded', '    at handler (/var/task/index.js:1:1)'],
      }),
    },
    ...overrides,
  };
}
