import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import {
  ASFF_LIMITS,
  asffFindings,
  asffProblems,
  defaultProductArn,
  targetOfReference,
  type AsffFinding,
} from '../../shared/securityhub';
import { MANIFEST, REGISTRY, TARGET, scanReport, vulnerability } from './report-fixture';

/** Deeply writable: the SDK's shapes take mutable arrays. */
type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

/** Compiles only while every field of ours is a field of the SDK's AwsSecurityFinding. */
function asSdk(finding: Writable<AsffFinding>): AwsSecurityFinding {
  return finding;
}

const byKind = (findings: AsffFinding[], kind: string) =>
  findings.filter((f) => f.ProductFields['clearance/kind'] === kind);

describe('asffFindings', () => {
  const findings = asffFindings(scanReport(), TARGET);

  describe('when a report has each kind of finding', () => {
    it('makes one finding per unsuppressed vulnerability, secret, sensitive file and failed check', () => {
      expect(byKind(findings, 'vulnerability')).toHaveLength(2);
      expect(byKind(findings, 'secret')).toHaveLength(2);
      expect(byKind(findings, 'sensitive-file')).toHaveLength(1);
      expect(byKind(findings, 'check').map((f) => f.ProductFields['clearance/check'])).toEqual([
        'user-root',
        'sudo-in-run',
      ]);
    });

    it('leaves out what VEX or an ignore entry suppressed', () => {
      expect(findings.map((f) => f.Title).join('\n')).not.toContain('CVE-2020-0001');
    });

    it('is within every ASFF limit, and of the SDK shape', () => {
      expect(findings.flatMap(asffProblems)).toEqual([]);
      expect(findings.map((f) => asSdk(f as Writable<AsffFinding>).SchemaVersion)).toEqual(
        findings.map(() => '2018-10-08'),
      );
    });

    it('names the account default product and the ECR image with its architecture', () => {
      const f = findings[0]!;
      expect(f.ProductArn).toBe(
        'arn:aws:securityhub:eu-west-1:123456789012:product/123456789012/default',
      );
      expect(f.Resources).toEqual([
        {
          Type: 'AwsEcrContainerImage',
          Id: `arn:aws:ecr:eu-west-1:123456789012:repository/payments/api/${MANIFEST}`,
          Partition: 'aws',
          Region: 'eu-west-1',
          Details: {
            AwsEcrContainerImage: {
              RegistryId: '123456789012',
              RepositoryName: 'payments/api',
              Architecture: 'amd64',
              ImageDigest: MANIFEST,
              ImageTags: ['1.4.2'],
            },
          },
        },
      ]);
    });

    it('gives each a distinct id under the manifest digest', () => {
      const ids = findings.map((f) => f.Id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of ids) expect(id.startsWith(`clearance/${MANIFEST}/`)).toBe(true);
    });
  });

  describe('a vulnerability', () => {
    const [kev, noFix] = byKind(findings, 'vulnerability');

    it('carries the CVE, the package and its fix, CVSS, references, KEV and EPSS', () => {
      expect(kev!.Vulnerabilities).toEqual([
        {
          Id: 'CVE-2023-5678',
          VulnerablePackages: [
            {
              Name: 'openssl',
              Version: '3.0.11-1~deb12u1',
              PackageManager: 'DEB',
              FilePath: 'var/lib/dpkg/status',
              FixedInVersion: '3.0.11-1~deb12u2',
              Remediation: 'Upgrade to 3.0.11-1~deb12u2',
              SourceLayerHash: `sha256:${'1'.repeat(64)}`,
            },
          ],
          Cvss: [
            {
              Version: '3.1',
              BaseScore: 7.5,
              BaseVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
              Source: 'cvss',
            },
          ],
          RelatedVulnerabilities: ['DSA-5532-1'],
          Vendor: {
            Name: 'OSV:Debian:12',
            Url: 'https://osv.dev/vulnerability/DSA-5532-1',
            VendorSeverity: 'HIGH',
          },
          ReferenceUrls: [
            'https://osv.dev/vulnerability/DSA-5532-1',
            'https://nvd.nist.gov/vuln/detail/CVE-2023-5678',
          ],
          FixAvailable: 'YES',
          ExploitAvailable: 'YES',
          EpssScore: 0.42,
        },
      ]);
      expect(kev!.Types).toEqual(['Software and Configuration Checks/Vulnerabilities/CVE']);
      expect(kev!.Severity).toEqual({ Label: 'HIGH', Original: 'HIGH (CVSS 7.5)' });
      expect(kev!.FindingProviderFields).toEqual({ Severity: kev!.Severity, Types: kev!.Types });
      expect(kev!.Compliance?.RelatedRequirements[0]).toBe('CIS Docker Benchmark v1.6.0 4.4');
    });

    it('says nothing of exploits when KEV does not list it or was not consulted', () => {
      const [listedNot] = asffFindings(
        scanReport({ vulnerabilities: [vulnerability({ kev: null })] }),
        TARGET,
      );
      expect(listedNot!.Vulnerabilities![0]).not.toHaveProperty('ExploitAvailable');
      expect(noFix!.Vulnerabilities![0]).not.toHaveProperty('ExploitAvailable');
    });

    it('without a fix, an alias or a severity: FixAvailable NO, its own id, INFORMATIONAL', () => {
      expect(noFix!.Vulnerabilities![0]).toMatchObject({
        Id: 'GHSA-xxxx-yyyy-zzzz',
        FixAvailable: 'NO',
      });
      expect(noFix!.Severity.Label).toBe('INFORMATIONAL');
      expect(noFix!.Types).toEqual(['Software and Configuration Checks/Vulnerabilities/Other']);
      expect(noFix!.Remediation.Recommendation.Text).toContain('No fixed version of lodash');
    });
  });

  describe('a secret, a sensitive file and a failed check', () => {
    it('quote only the redacted match, and map to CIS 4.10', () => {
      const [layer, config] = byKind(findings, 'secret');
      expect(layer!.Description).toContain('AKIA****************');
      expect(layer!.Title).toContain('app/.env:3');
      expect(config!.Title).toContain('the image config (config.Env[2])');
      expect(layer!.Compliance?.RelatedRequirements).toContain('CIS Docker Benchmark v1.6.0 4.10');
      expect(layer!.Types).toEqual(['Sensitive Data Identifications/Passwords']);
    });

    it('tells a file a later layer removed is still in the image', () => {
      expect(byKind(findings, 'sensitive-file')[0]!.Description).toContain('still in the image');
    });

    it('carry a check remediation and its CIS control', () => {
      const [root, sudo] = byKind(findings, 'check');
      expect(root!.Remediation.Recommendation.Text).toBe(
        'Add a USER instruction naming a non-root user.',
      );
      expect(root!.Compliance).toEqual(
        expect.objectContaining({
          Status: 'FAILED',
          RelatedRequirements: expect.arrayContaining(['CIS Docker Benchmark v1.6.0 4.1']),
        }),
      );
      expect(root!.GeneratorId).toBe('clearance/check/user-root');
      expect(sudo!.Types).toEqual([
        'Software and Configuration Checks/Industry and Regulatory Standards/DKL-DI-0001',
      ]);
    });
  });

  describe('when the same image is scanned again', () => {
    it('gives the same ids, whatever the time', () => {
      const again = asffFindings(scanReport(), { ...TARGET, observedAt: '2027-01-01T00:00:00Z' });
      expect(again.map((f) => f.Id)).toEqual(findings.map((f) => f.Id));
    });

    it('gives other ids for another platform manifest', () => {
      const other = scanReport();
      const arm = asffFindings(
        {
          ...other,
          image: {
            ...other.image,
            platform: 'linux/arm64/v8',
            manifestDigest: `sha256:${'c'.repeat(64)}`,
          },
        },
        TARGET,
      );
      expect(arm.map((f) => f.Id)).not.toContain(findings[0]!.Id);
      expect(arm[0]!.Resources[0]!.Details.AwsEcrContainerImage.Architecture).toBe('arm64');
    });
  });

  describe('when texts are longer than ASFF allows', () => {
    const long = 'x'.repeat(5000);
    const huge = asffFindings(
      scanReport({
        vulnerabilities: [
          vulnerability({
            id: `GHSA-${long}`,
            package: long,
            summary: long,
            purl: `pkg:npm/${long}@1`,
          }),
        ],
        checks: [],
        secrets: [],
        sensitiveFiles: [],
      }),
      { ...TARGET, repository: long.slice(0, 200) },
    );

    it('truncates them, and keeps the id within 512 and unique', () => {
      expect(huge.flatMap(asffProblems)).toEqual([]);
      expect(huge[0]!.Id.length).toBeLessThanOrEqual(ASFF_LIMITS.id);
      expect(huge[0]!.Title.endsWith('…')).toBe(true);
    });
  });

  describe('when the report is empty', () => {
    it('makes no finding', () => {
      expect(
        asffFindings(
          scanReport({ vulnerabilities: [], secrets: [], sensitiveFiles: [], checks: [] }),
          TARGET,
        ),
      ).toEqual([]);
    });
  });
});

describe('asffProblems', () => {
  const good = asffFindings(scanReport(), TARGET)[0]!;

  it.each([
    ['Title', { Title: 't'.repeat(257) }, 'Title has 257 characters, at most 256'],
    [
      'Description',
      { Description: 'd'.repeat(1025) },
      'Description has 1025 characters, at most 1024',
    ],
    ['Id', { Id: 'i'.repeat(513) }, 'Id has 513 characters, at most 512'],
    [
      'Types',
      { Types: ['Not A Namespace/x'] },
      'Types entry "Not A Namespace/x" is not namespace/category[/classifier]',
    ],
    ['Resources', { Resources: [] }, 'Resources has 0 items, expected 1 to 32'],
    ['CreatedAt', { CreatedAt: 'yesterday' }, '"yesterday" is not an ISO 8601 time'],
  ])('fails when %s breaks its limit', (_name, change, problem) => {
    expect(asffProblems({ ...good, ...change })).toContain(problem);
  });
});

describe('targetOfReference', () => {
  it('reads an ECR image account, region, repository and tag', () => {
    expect(
      targetOfReference(`${REGISTRY}/payments/api:1.4.2`, { observedAt: TARGET.observedAt }),
    ).toEqual({ ...TARGET, partition: 'aws' });
  });

  it('uses the account and region given for an image elsewhere, else placeholders', () => {
    const oci = targetOfReference('oci:/tmp/images/web:1.0', { observedAt: TARGET.observedAt });
    expect(oci).toMatchObject({
      accountId: '000000000000',
      region: 'us-east-1',
      repository: 'web',
      tags: ['1.0'],
    });
    const given = targetOfReference('docker-archive:/tmp/app.tar', {
      accountId: '210987654321',
      region: 'us-west-2',
      observedAt: TARGET.observedAt,
    });
    expect(defaultProductArn(given)).toBe(
      'arn:aws:securityhub:us-west-2:210987654321:product/210987654321/default',
    );
    expect(given.repository).toBe('app');
  });
});
