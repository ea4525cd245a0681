import { createHash } from 'node:crypto';
import type { CheckResult } from '../checks';
import { MAPPING, type FrameworkId } from '../compliance';
import type { Finding } from '../match';
import type { Severity } from '../osv';
import type { ScanReport } from '../scan';
import { TOOL } from '../core';
import type { SecretFinding, SensitiveFileFinding } from '../secrets';
import {
  ASFF_LIMITS,
  ASFF_SCHEMA_VERSION,
  truncate,
  type AsffFinding,
  type AsffPartition,
  type AsffImageResource,
  type AsffSeverityLabel,
  type AsffVulnerability,
} from './asff';

/** Where the findings go and what they are about, beyond the report. */
export interface AsffTarget {
  /** The account whose Security Hub receives them (the default product's account). */
  readonly accountId: string;
  readonly region: string;
  /** @default 'aws' */
  readonly partition?: AsffPartition;
  /** The registry's account: the ECR host's, else the receiving account. */
  readonly registryId: string;
  readonly repository: string;
  readonly tags: readonly string[];
  /** When the scan observed them (ISO 8601): every timestamp of a new finding. */
  readonly observedAt: string;
}

/** Every `GeneratorId` starts so: what the importer looks for when archiving. */
export const GENERATOR_PREFIX = 'clearance/';

/** The account's custom-integration product, the one any account may import into. */
export function defaultProductArn(target: Pick<AsffTarget, 'accountId' | 'region' | 'partition'>) {
  const { accountId, region, partition = 'aws' } = target;
  return `arn:${partition}:securityhub:${region}:${accountId}:product/${accountId}/default`;
}

/** The image resource's id: the ECR image ARN Security Hub and Inspector use. */
export function imageResourceId(target: AsffTarget, manifestDigest: string): string {
  const { registryId, region, partition = 'aws', repository } = target;
  return `arn:${partition}:ecr:${region}:${registryId}:repository/${repository}/${manifestDigest}`;
}

/**
 * The findings of one platform's report as ASFF: every unsuppressed vulnerability that can
 * apply (a Go finding its binary rules out is left out, as in SARIF), every secret and
 * sensitive file, and every failed image check. Ids are the platform's manifest digest and the
 * finding's identity, so a re-scan of the same image updates them, and what a re-scan no longer
 * finds can be archived by id.
 */
export function asffFindings(report: ScanReport, target: AsffTarget): AsffFinding[] {
  const base = baseOf(report, target);
  return [
    ...(report.vulnerabilities ?? [])
      .filter((f) => f.suppressedBy === null && f.applicability?.status !== 'not-applicable')
      .map((f) => vulnerabilityFinding(f, base)),
    ...(report.secrets ?? []).map((s) => secretFinding(s, base)),
    ...(report.sensitiveFiles ?? []).map((s) => sensitiveFileFinding(s, base)),
    ...(report.checks ?? []).filter((c) => c.status === 'fail').map((c) => checkFinding(c, base)),
  ];
}

/** What every finding of one platform shares. */
interface Base {
  readonly report: ScanReport;
  readonly target: AsffTarget;
  readonly resource: AsffImageResource;
  readonly common: Omit<
    AsffFinding,
    | 'Id'
    | 'GeneratorId'
    | 'Types'
    | 'Severity'
    | 'Title'
    | 'Description'
    | 'Remediation'
    | 'ProductFields'
    | 'FindingProviderFields'
  >;
}

function baseOf(report: ScanReport, target: AsffTarget): Base {
  const { image } = report;
  const partition = target.partition ?? 'aws';
  const resource: AsffImageResource = {
    Type: 'AwsEcrContainerImage',
    Id: imageResourceId(target, image.manifestDigest),
    Partition: partition,
    Region: target.region,
    Details: {
      AwsEcrContainerImage: {
        RegistryId: target.registryId,
        RepositoryName: target.repository,
        Architecture: architectureOf(image.platform),
        ImageDigest: image.manifestDigest,
        ImageTags: target.tags,
      },
    },
  };
  const at = target.observedAt;
  return {
    report,
    target,
    resource,
    common: {
      SchemaVersion: ASFF_SCHEMA_VERSION,
      ProductArn: defaultProductArn(target),
      ProductName: 'Clearance',
      CompanyName: TOOL.vendor,
      Region: target.region,
      AwsAccountId: target.accountId,
      FirstObservedAt: at,
      LastObservedAt: at,
      CreatedAt: at,
      UpdatedAt: at,
      Resources: [resource],
      RecordState: 'ACTIVE',
    },
  };
}

/** The pieces that differ per finding kind. */
interface Specific {
  readonly kind: 'vulnerability' | 'secret' | 'sensitive-file' | 'check';
  /** What names the finding within the image (hashed into the id). */
  readonly identity: string;
  /** Readable part of the id and the generator: the advisory, the rule, the check. */
  readonly rule: string;
  readonly types: readonly string[];
  readonly severity: Severity;
  readonly original: string;
  readonly title: string;
  readonly description: string;
  readonly recommendation: { readonly Text: string; readonly Url?: string };
  /** The MAPPING key of the evidence it is. */
  readonly evidence: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly vulnerabilities?: readonly AsffVulnerability[];
}

function finding(base: Base, s: Specific): AsffFinding {
  const { report } = base;
  const label = LABEL[s.severity];
  const severity = { Label: label, Original: s.original };
  const types = s.types.slice(0, ASFF_LIMITS.types);
  const requirements = requirementsOf(s.evidence);
  return {
    ...base.common,
    Id: findingId(report.image.manifestDigest, s),
    GeneratorId: truncate(`${GENERATOR_PREFIX}${s.kind}/${s.rule}`, ASFF_LIMITS.generatorId),
    Types: types,
    Severity: severity,
    Title: truncate(s.title, ASFF_LIMITS.title),
    Description: truncate(s.description, ASFF_LIMITS.description),
    Remediation: {
      Recommendation: {
        ...s.recommendation,
        Text: truncate(s.recommendation.Text, ASFF_LIMITS.recommendationText),
      },
    },
    ProductFields: productFields({
      'clearance/kind': s.kind,
      'clearance/rule': s.rule,
      'clearance/image/reference': report.image.reference,
      'clearance/image/digest': report.image.digest,
      'clearance/image/platform': report.image.platform,
      'clearance/version': TOOL.version,
      ...s.fields,
    }),
    ...(requirements.length > 0
      ? { Compliance: { Status: 'FAILED' as const, RelatedRequirements: requirements } }
      : {}),
    ...(s.vulnerabilities ? { Vulnerabilities: s.vulnerabilities } : {}),
    FindingProviderFields: { Severity: severity, Types: types },
  };
}

/**
 * `clearance/<manifest digest>/<kind>/<rule>/<hash of the identity>`: readable, stable across
 * re-scans of the same image, distinct per package path and secret location, within 512.
 */
function findingId(manifestDigest: string, s: Specific): string {
  const hash = createHash('sha256').update(s.identity).digest('hex').slice(0, 16);
  const head = `${GENERATOR_PREFIX}${manifestDigest}/${s.kind}/`;
  const room = ASFF_LIMITS.id - head.length - hash.length - 1;
  return `${head}${s.rule.replace(/[^\w.:-]/g, '_').slice(0, room)}/${hash}`;
}

function vulnerabilityFinding(f: Finding, base: Base): AsffFinding {
  const cve = [f.id, ...f.aliases].find((id) => id.startsWith('CVE-'));
  const where = `${base.target.repository} (${base.report.image.platform})`;
  const fix = f.fixedVersion
    ? `Upgrade ${f.package} to ${f.fixedVersion} or later, and rebuild the image.`
    : `No fixed version of ${f.package} is available yet (${f.status}); consider a base image or package without it, or record a VEX statement if it does not apply.`;
  const named = cve && cve !== f.id ? `${f.id} (${cve})` : f.id;
  return finding(base, {
    kind: 'vulnerability',
    identity: `${f.id}\n${f.purl}\n${f.path}`,
    rule: f.id,
    types: [`Software and Configuration Checks/Vulnerabilities/${cve ? 'CVE' : 'Other'}`],
    severity: f.severity,
    original: f.cvss ? `${f.severity} (CVSS ${f.cvss.score})` : f.severity,
    title: `${named} in ${f.package} ${f.installedVersion} (${where})`,
    description: [
      f.summary ?? `${f.package} ${f.installedVersion} is affected by ${f.id}.`,
      `Package ${f.purl} at ${f.path}, layer ${f.layer}.`,
      f.kev ? `Listed in CISA KEV since ${f.kev.dateAdded} (due ${f.kev.dueDate}).` : '',
      f.applicability ? `In this binary: ${f.applicability.reason}.` : '',
    ]
      .filter(Boolean)
      .join(' '),
    recommendation: { Text: fix, Url: osvUrl(f.id) },
    evidence: f.fixedVersion ? 'vulnerabilities-fixable' : 'vulnerabilities-scanned',
    fields: {
      'clearance/package': f.package,
      'clearance/installedVersion': f.installedVersion,
      ...(f.fixedVersion ? { 'clearance/fixedVersion': f.fixedVersion } : {}),
      'clearance/source': f.source,
      ...(f.kev ? { 'clearance/kev/dateAdded': f.kev.dateAdded } : {}),
    },
    vulnerabilities: [vulnerabilityOf(f, cve)],
  });
}

function vulnerabilityOf(f: Finding, cve: string | undefined): AsffVulnerability {
  const id = cve ?? f.id;
  return {
    Id: id,
    VulnerablePackages: [
      {
        Name: f.package,
        Version: f.installedVersion,
        PackageManager: packageManagerOf(f.purl),
        FilePath: f.path,
        ...(f.fixedVersion ? { FixedInVersion: f.fixedVersion } : {}),
        Remediation: f.fixedVersion ? `Upgrade to ${f.fixedVersion}` : `No fix yet (${f.status})`,
        SourceLayerHash: f.layer,
      },
    ],
    ...(f.cvss
      ? {
          Cvss: [
            {
              Version: /^CVSS:(\d\.\d)\//.exec(f.cvss.vector)?.[1] ?? '2.0',
              BaseScore: f.cvss.score,
              BaseVector: f.cvss.vector,
              Source: f.severitySource,
            },
          ],
        }
      : {}),
    RelatedVulnerabilities: [f.id, ...f.aliases].filter((other) => other !== id),
    Vendor: { Name: f.source, Url: osvUrl(f.id), VendorSeverity: f.severity },
    ReferenceUrls: [osvUrl(f.id), ...(cve ? [`https://nvd.nist.gov/vuln/detail/${cve}`] : [])],
    FixAvailable: f.fixedVersion ? 'YES' : 'NO',
    ...(f.kev ? { ExploitAvailable: 'YES' as const } : {}),
    ...(f.epss ? { EpssScore: f.epss.score } : {}),
  };
}

function secretFinding(s: SecretFinding, base: Base): AsffFinding {
  const where = s.layer === null ? `the image config (${s.path})` : `${s.path}:${s.line}`;
  const removed = s.removedInLayer
    ? ` A later layer (${s.removedInLayer}) removed the file, but the secret is still in layer ${s.layer}, for anyone who pulls it.`
    : '';
  return finding(base, {
    kind: 'secret',
    identity: `${s.rule}\n${s.layer ?? 'config'}\n${s.path}\n${s.line}`,
    rule: s.rule,
    types: ['Sensitive Data Identifications/Passwords'],
    severity: s.severity,
    original: s.severity,
    title: `${s.title} in ${base.target.repository} (${base.report.image.platform}): ${where}`,
    description: `${s.title} at ${where}${s.layer ? `, layer ${s.layer}` : ''}. Match (redacted): ${s.match}.${removed}`,
    recommendation: {
      Text: 'Revoke and rotate the secret, remove it from the image and its history (rebuild without it; pass secrets at run time or as BuildKit secrets), and rescan.',
    },
    evidence: 'secrets',
    fields: { 'clearance/path': s.path, ...(s.layer ? { 'clearance/layer': s.layer } : {}) },
  });
}

function sensitiveFileFinding(s: SensitiveFileFinding, base: Base): AsffFinding {
  return finding(base, {
    kind: 'sensitive-file',
    identity: `${s.rule}\n${s.layer}\n${s.path}`,
    rule: s.rule,
    types: ['Sensitive Data Identifications/Security'],
    severity: s.severity,
    original: s.severity,
    title: `${s.title} in ${base.target.repository} (${base.report.image.platform}): ${s.path}`,
    description: `${s.title}: ${s.path}, layer ${s.layer}.${s.removedInLayer ? ` Removed by layer ${s.removedInLayer}, but still in the image.` : ''}`,
    recommendation: {
      Text: 'Keep the file out of the image (a .dockerignore entry, a multi-stage build), rotate what it holds, rebuild and rescan.',
    },
    evidence: 'sensitive-files',
    fields: { 'clearance/path': s.path, 'clearance/layer': s.layer },
  });
}

function checkFinding(c: CheckResult, base: Base): AsffFinding {
  const standard = c.cis ? `CIS Docker Benchmark v1.6.0 ${c.cis}` : (c.dockle ?? 'Clearance');
  return finding(base, {
    kind: 'check',
    identity: c.id,
    rule: c.id,
    types: [`Software and Configuration Checks/Industry and Regulatory Standards/${standard}`],
    severity: c.severity,
    original: c.severity,
    title: `${c.title} (${base.target.repository}, ${base.report.image.platform})`,
    description: `Image check ${c.id} failed${c.evidence.length ? `: ${c.evidence.join('; ')}` : '.'}`,
    recommendation: { Text: c.remediation },
    evidence: `check:${c.id}`,
    fields: {
      'clearance/check': c.id,
      ...(c.cis ? { 'clearance/cis': c.cis } : {}),
      ...(c.dockle ? { 'clearance/dockle': c.dockle } : {}),
    },
  });
}

const LABEL: Readonly<Record<Severity, AsffSeverityLabel>> = {
  CRITICAL: 'CRITICAL',
  HIGH: 'HIGH',
  MEDIUM: 'MEDIUM',
  LOW: 'LOW',
  UNKNOWN: 'INFORMATIONAL',
};

const FRAMEWORK_NAMES: Readonly<Record<FrameworkId, string>> = {
  cis: 'CIS Docker Benchmark v1.6.0',
  'pci-dss': 'PCI DSS v4.0',
  hipaa: 'HIPAA 45 CFR',
  soc2: 'SOC 2',
  'nist-800-53': 'NIST SP 800-53 Rev. 5',
};

/** The controls the evidence speaks to (shared/compliance/mapping.ts), CIS first. */
function requirementsOf(evidence: string): string[] {
  const map = MAPPING[evidence] ?? {};
  return (Object.keys(FRAMEWORK_NAMES) as FrameworkId[])
    .flatMap((framework) =>
      (map[framework] ?? []).map((id) => `${FRAMEWORK_NAMES[framework]} ${id}`),
    )
    .slice(0, ASFF_LIMITS.relatedRequirements);
}

/** Product fields within their limits (keys and values cut, at most 50). */
function productFields(fields: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields)
      .slice(0, ASFF_LIMITS.productFields)
      .map(([k, v]) => [
        truncate(k, ASFF_LIMITS.productFieldKey),
        truncate(v, ASFF_LIMITS.productFieldValue),
      ]),
  );
}

/** `linux/arm64/v8` → `arm64`, as ECR names architectures. */
function architectureOf(platform: string): string {
  return platform.split('/')[1] ?? platform;
}

/** The purl's type (`deb`, `npm`, `golang`): the package manager, as Inspector reports it. */
function packageManagerOf(purl: string): string {
  return /^pkg:([^/]+)\//.exec(purl)?.[1]?.toUpperCase() ?? 'UNKNOWN';
}

function osvUrl(id: string): string {
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}
