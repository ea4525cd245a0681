import type { CheckResult } from '../../shared/checks/check';
import { complianceReport } from '../../shared/compliance';
import type { Finding } from '../../shared/match/finding';
import type { ScanReport } from '../../shared/scan/report';

const check = (
  id: string,
  status: CheckResult['status'],
  evidence: string[] = [],
): CheckResult => ({
  id,
  title: id,
  severity: 'HIGH',
  status,
  evidence,
  cis: null,
  dockle: null,
  remediation: '',
});

const finding = (severity: Finding['severity'], fixedVersion: string | null): Finding => ({
  id: 'CVE-2024-0001',
  aliases: [],
  purl: 'pkg:deb/debian/openssl@1',
  package: 'openssl',
  installedVersion: '1',
  fixedVersion,
  status: fixedVersion === null ? 'not-fixed' : 'fixed',
  severity,
  cvss: null,
  severitySource: 'cvss',
  source: 'OSV:Debian:12',
  summary: null,
  layer: `sha256:${'a'.repeat(64)}`,
  path: 'var/lib/dpkg/status',
  suppressedBy: null,
});

function report(changes: Partial<ScanReport>): ScanReport {
  return {
    schemaVersion: 1,
    image: { reference: 'r', digest: 'd', platform: 'linux/amd64', manifestDigest: 'd' },
    os: null,
    packages: [],
    problems: [],
    ...changes,
  };
}

const status = (r: ScanReport, framework: Parameters<typeof complianceReport>[1], id: string) =>
  complianceReport(r, framework).controls.find((c) => c.id === id)!;

describe('complianceReport', () => {
  it('fails a control when any of its evidence fails, and says which', () => {
    const r = report({
      checks: [check('user-root', 'fail', ['no USER: runs as root'])],
      secrets: [],
    });
    expect(status(r, 'cis', '4.1')).toMatchObject({
      status: 'fail',
      evidence: expect.arrayContaining([
        { source: 'check:user-root', status: 'fail', detail: 'no USER: runs as root' },
      ]),
    });
  });

  it('passes a control only when all of its evidence ran and passed', () => {
    const ran = report({ checks: [check('healthcheck-missing', 'pass', ['HEALTHCHECK CMD x'])] });
    expect(status(ran, 'cis', '4.6').status).toBe('pass');
    expect(status(report({}), 'cis', '4.6').status).toBe('not-assessed');
  });

  it('judges image signatures when keys were given, and leaves them not assessed otherwise', () => {
    expect(status(report({}), 'cis', '4.5')).toMatchObject({
      status: 'not-assessed',
      evidence: [{ source: 'signature', status: 'not-assessed', detail: 'no signature key given' }],
    });
    const signed = report({
      signature: { status: 'signed', keyId: 'sha256:k', problems: [] },
      checks: ['latest-tag', 'base-image-not-pinned', 'add-remote-url'].map((id) =>
        check(id, 'pass'),
      ),
    });
    expect(status(signed, 'nist-800-53', 'SI-7').status).toBe('pass');
    const unsigned = report({ signature: { status: 'unsigned', keyId: null, problems: [] } });
    expect(status(unsigned, 'soc2', 'CC8.1').status).toBe('fail');
  });

  it('leaves a control not assessed while what would assess it is outside an image scan', () => {
    expect(status(report({}), 'hipaa', '164.312(b)')).toMatchObject({
      status: 'not-assessed',
      evidence: [
        { source: 'none', status: 'not-assessed', detail: expect.stringMatching(/audit/) },
      ],
    });
  });

  it('fails patching controls on a CRITICAL or HIGH vulnerability that has a fix', () => {
    const open = report({ vulnerabilities: [finding('HIGH', '2')], checks: [] });
    const unfixed = report({ vulnerabilities: [finding('CRITICAL', null)], checks: [] });
    expect(status(open, 'nist-800-53', 'SI-2').status).toBe('fail');
    expect(status(open, 'pci-dss', '6.3.1').status).toBe('pass');
    expect(status(unfixed, 'pci-dss', '11.3.1').status).toBe('pass');
  });

  it('fails credential controls on secrets, naming the rules', () => {
    const r = report({
      secrets: [
        {
          rule: 'github-pat',
          title: '',
          severity: 'CRITICAL',
          line: 1,
          match: 'ghp_****',
          layer: null,
          path: 'config.Env[0]',
          removedInLayer: null,
        },
      ],
    });
    expect(status(r, 'nist-800-53', 'IA-5').evidence).toContainEqual({
      source: 'secrets',
      status: 'fail',
      detail: '1 secrets: github-pat',
    });
  });
});
