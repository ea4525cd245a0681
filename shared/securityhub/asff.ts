/*
 * The AWS Security Finding Format, as much of it as Clearance writes: the fields of
 * `AwsSecurityFinding` (Security Hub API reference, SchemaVersion 2018-10-08) with the SDK's
 * names, kept here so that the engine imports no AWS SDK (STYLE.md §6). The tests compile these
 * against `@aws-sdk/client-securityhub`'s own types, so a field that drifts fails them.
 */

export const ASFF_SCHEMA_VERSION = '2018-10-08';

/** ASFF's partitions (`Resource.Partition`). */
export type AsffPartition = 'aws' | 'aws-cn' | 'aws-us-gov';

export type AsffSeverityLabel = 'INFORMATIONAL' | 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';

export interface AsffSoftwarePackage {
  readonly Name: string;
  readonly Version: string;
  readonly PackageManager?: string;
  readonly FilePath?: string;
  readonly FixedInVersion?: string;
  readonly Remediation?: string;
  readonly SourceLayerHash?: string;
}

export interface AsffVulnerability {
  readonly Id: string;
  readonly VulnerablePackages: readonly AsffSoftwarePackage[];
  readonly Cvss?: readonly {
    readonly Version: string;
    readonly BaseScore: number;
    readonly BaseVector: string;
    readonly Source: string;
  }[];
  readonly RelatedVulnerabilities?: readonly string[];
  readonly Vendor: {
    readonly Name: string;
    readonly Url?: string;
    readonly VendorSeverity?: string;
  };
  readonly ReferenceUrls?: readonly string[];
  readonly FixAvailable: 'YES' | 'NO' | 'PARTIAL';
  /** Only `YES`, from CISA's KEV catalog: a CVE it does not list may still be exploited. */
  readonly ExploitAvailable?: 'YES';
  readonly EpssScore?: number;
}

/** The image a finding of its scan is about. */
export interface AsffImageResource {
  readonly Type: 'AwsEcrContainerImage';
  readonly Id: string;
  readonly Partition: AsffPartition;
  readonly Region: string;
  readonly Details: {
    readonly AwsEcrContainerImage: {
      readonly RegistryId: string;
      readonly RepositoryName: string;
      readonly Architecture: string;
      readonly ImageDigest: string;
      readonly ImageTags: readonly string[];
    };
  };
}

/**
 * What a runtime posture finding is about: an ECS task definition, a container of another
 * platform (a Kubernetes workload's, a Compose service's), or an ECR repository.
 */
export interface AsffPostureResource {
  readonly Type: 'AwsEcsTaskDefinition' | 'Container' | 'AwsEcrRepository';
  readonly Id: string;
  readonly Partition: AsffPartition;
  readonly Region: string;
  readonly Details?: {
    readonly Container?: { readonly Name?: string; readonly ImageName?: string };
    readonly AwsEcsTaskDefinition?: { readonly Family?: string };
    readonly AwsEcrRepository?: { readonly RepositoryName?: string };
  };
}

export type AsffResource = AsffImageResource | AsffPostureResource;

export interface AsffSeverity {
  readonly Label: AsffSeverityLabel;
  readonly Original: string;
}

/** One finding as BatchImportFindings takes it (and `clearance scan --format asff` prints it). */
export interface AsffFinding<R extends AsffResource = AsffImageResource> {
  readonly SchemaVersion: typeof ASFF_SCHEMA_VERSION;
  readonly Id: string;
  readonly ProductArn: string;
  readonly ProductName: string;
  readonly CompanyName: string;
  readonly Region: string;
  readonly GeneratorId: string;
  readonly AwsAccountId: string;
  readonly Types: readonly string[];
  readonly FirstObservedAt: string;
  readonly LastObservedAt: string;
  readonly CreatedAt: string;
  readonly UpdatedAt: string;
  readonly Severity: AsffSeverity;
  readonly Title: string;
  readonly Description: string;
  readonly Remediation: {
    readonly Recommendation: { readonly Text: string; readonly Url?: string };
  };
  readonly ProductFields: Readonly<Record<string, string>>;
  readonly Resources: readonly R[];
  readonly Compliance?: {
    readonly Status: 'FAILED';
    readonly RelatedRequirements: readonly string[];
  };
  readonly Vulnerabilities?: readonly AsffVulnerability[];
  readonly FindingProviderFields: {
    readonly Severity: AsffSeverity;
    readonly Types: readonly string[];
  };
  readonly RecordState: 'ACTIVE' | 'ARCHIVED';
}

/**
 * Security Hub's limits on what BatchImportFindings accepts (ASFF, and the partner guide's
 * "Guidelines for mapping findings"): longer text is truncated, longer lists cut, here.
 */
export const ASFF_LIMITS = {
  id: 512,
  generatorId: 512,
  title: 256,
  description: 1024,
  recommendationText: 512,
  types: 50,
  resources: 32,
  relatedRequirements: 32,
  productFields: 50,
  productFieldKey: 128,
  productFieldValue: 2048,
  /** Findings per BatchImportFindings (and BatchUpdateFindings) request. */
  batch: 100,
  /** A finding's JSON, at most 240 KB. */
  findingBytes: 240 * 1024,
} as const;

/** `text` within `max` characters, an ellipsis marking a cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/**
 * What breaks the limits or the required fields in `finding`, one line each: empty when
 * BatchImportFindings would take it.
 */
export function asffProblems(finding: AsffFinding<AsffResource>): string[] {
  const problems: string[] = [];
  const over = (name: string, value: string, max: number) => {
    if (value.length === 0) problems.push(`${name} is empty`);
    if (value.length > max) problems.push(`${name} has ${value.length} characters, at most ${max}`);
  };
  over('Id', finding.Id, ASFF_LIMITS.id);
  over('GeneratorId', finding.GeneratorId, ASFF_LIMITS.generatorId);
  over('Title', finding.Title, ASFF_LIMITS.title);
  over('Description', finding.Description, ASFF_LIMITS.description);
  over('Remediation.Recommendation.Text', finding.Remediation.Recommendation.Text, 512);
  const count = (name: string, items: readonly unknown[], min: number, max: number) => {
    if (items.length < min || items.length > max)
      problems.push(`${name} has ${items.length} items, expected ${min} to ${max}`);
  };
  count('Types', finding.Types, 1, ASFF_LIMITS.types);
  count('Resources', finding.Resources, 1, ASFF_LIMITS.resources);
  count('Compliance.RelatedRequirements', finding.Compliance?.RelatedRequirements ?? [], 0, 32);
  const fields = Object.entries(finding.ProductFields);
  count('ProductFields', fields, 0, ASFF_LIMITS.productFields);
  for (const [key, value] of fields) {
    over(`ProductFields key ${key.slice(0, 20)}`, key, ASFF_LIMITS.productFieldKey);
    over(`ProductFields[${key}]`, value, ASFF_LIMITS.productFieldValue);
  }
  for (const type of finding.Types)
    if (!TYPE.test(type))
      problems.push(`Types entry "${type}" is not namespace/category[/classifier]`);
  for (const time of [finding.CreatedAt, finding.UpdatedAt, finding.FirstObservedAt])
    if (Number.isNaN(Date.parse(time))) problems.push(`"${time}" is not an ISO 8601 time`);
  const bytes = Buffer.byteLength(JSON.stringify(finding));
  if (bytes > ASFF_LIMITS.findingBytes) problems.push(`the finding is ${bytes} bytes`);
  return problems;
}

/** ASFF's finding type namespaces (the Types taxonomy). */
export const TYPE_NAMESPACES = [
  'Software and Configuration Checks',
  'TTPs',
  'Effects',
  'Unusual Behaviors',
  'Sensitive Data Identifications',
] as const;

const TYPE = new RegExp(`^(?:${TYPE_NAMESPACES.join('|')})/[^/]+(?:/[^/]+)?$`);
