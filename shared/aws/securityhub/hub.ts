import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
  type SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import {
  ASFF_LIMITS,
  GENERATOR_PREFIX,
  type AsffFinding,
  type FindingFailure,
  type FindingsHub,
  type PublishResult,
  type PublishScope,
} from '../../securityhub';
import { awsErrorKind, awsRequestError } from '..';

export interface SecurityHubFindingsOptions {
  readonly client: SecurityHubClient;
  /** @default - the current time */
  readonly now?: () => Date;
  /** Waits between attempts of a throttled call. @default - setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Attempts of a call Security Hub throttles (beyond the SDK's own). @default 5 */
  readonly maxAttempts?: number;
}

/** First wait of a throttled call; doubled each attempt, with full jitter. */
const BASE_DELAY_MS = 500;

/**
 * Security Hub as the findings port. Publishing a scan: the active Clearance findings of its
 * images are read back (GetFindings on the product, the image resources and the `clearance/`
 * generators), the scan's findings imported with BatchImportFindings (100 a call; their first
 * observation kept from what Security Hub holds), and what Security Hub holds that the scan no
 * longer has is imported again as ARCHIVED and its workflow set RESOLVED (BatchUpdateFindings).
 * Throttled calls are retried with backoff; refused findings are returned, not thrown.
 */
export class SecurityHubFindings implements FindingsHub {
  private readonly client: SecurityHubClient;
  private readonly now: () => Date;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly maxAttempts: number;

  constructor(options: SecurityHubFindingsOptions) {
    this.client = options.client;
    this.now = options.now ?? (() => new Date());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.maxAttempts = options.maxAttempts ?? 5;
  }

  async publish(findings: readonly AsffFinding[], scope: PublishScope): Promise<PublishResult> {
    const previous = await this.activeFindings(scope);
    const current = findings.map((f) => keepFirstObservation(f, previous.get(f.Id)));
    const failed = await this.importAll(current);
    const ids = new Set(findings.map((f) => f.Id));
    const now = this.now().toISOString();
    const gone = [...previous.values()].filter((f) => !ids.has(f.Id!)).map((f) => archived(f, now));
    const archiveFailed = [...(await this.importAll(gone)), ...(await this.resolve(gone, scope))];
    const refused = new Set(archiveFailed.map((f) => f.id));
    return {
      imported: current.length - failed.length,
      failed,
      archived: gone.filter((f) => !refused.has(f.Id!)).length,
      archiveFailed,
    };
  }

  /** The active Clearance findings of the scope's images, by id. */
  private async activeFindings(scope: PublishScope): Promise<Map<string, AwsSecurityFinding>> {
    const found = new Map<string, AwsSecurityFinding>();
    if (scope.resourceIds.length === 0) return found;
    const filters: AwsSecurityFindingFilters = {
      ProductArn: [{ Value: scope.productArn, Comparison: 'EQUALS' }],
      ResourceId: scope.resourceIds.map((id) => ({ Value: id, Comparison: 'EQUALS' })),
      GeneratorId: [{ Value: GENERATOR_PREFIX, Comparison: 'PREFIX' }],
      RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }],
    };
    let token: string | undefined;
    do {
      const page = await this.call('GetFindings', () =>
        this.client.send(
          new GetFindingsCommand({
            Filters: filters,
            MaxResults: ASFF_LIMITS.batch,
            NextToken: token,
          }),
        ),
      );
      for (const f of page.Findings ?? []) if (f.Id !== undefined) found.set(f.Id, f);
      token = page.NextToken;
    } while (token);
    return found;
  }

  /** BatchImportFindings, 100 a call; what it refused. */
  private async importAll(findings: readonly AwsSecurityFinding[]): Promise<FindingFailure[]> {
    const failed: FindingFailure[] = [];
    for (const batch of chunks(findings, ASFF_LIMITS.batch)) {
      const answer = await this.call('BatchImportFindings', () =>
        this.client.send(new BatchImportFindingsCommand({ Findings: batch })),
      );
      for (const f of answer.FailedFindings ?? [])
        failed.push({ id: f.Id ?? '', code: f.ErrorCode ?? '', message: f.ErrorMessage ?? '' });
    }
    return failed;
  }

  /** The workflow of archived findings set RESOLVED (a field only BatchUpdateFindings sets). */
  private async resolve(
    findings: readonly AwsSecurityFinding[],
    scope: PublishScope,
  ): Promise<FindingFailure[]> {
    const failed: FindingFailure[] = [];
    for (const batch of chunks(findings, ASFF_LIMITS.batch)) {
      const answer = await this.call('BatchUpdateFindings', () =>
        this.client.send(
          new BatchUpdateFindingsCommand({
            FindingIdentifiers: batch.map((f) => ({ Id: f.Id!, ProductArn: scope.productArn })),
            Workflow: { Status: 'RESOLVED' },
            Note: { Text: 'Clearance: no longer found in this image', UpdatedBy: 'clearance' },
          }),
        ),
      );
      for (const f of answer.UnprocessedFindings ?? [])
        failed.push({
          id: f.FindingIdentifier?.Id ?? '',
          code: f.ErrorCode ?? '',
          message: f.ErrorMessage ?? '',
        });
    }
    return failed;
  }

  /** A call retried while Security Hub throttles it; any other failure as an AwsError. */
  private async call<T>(name: string, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (attempt >= this.maxAttempts || awsErrorKind(error) !== 'transient')
          throw awsRequestError(`Security Hub ${name}`, 'the default product', error);
        await this.sleep(Math.random() * BASE_DELAY_MS * 2 ** (attempt - 1));
      }
    }
  }
}

/** A finding as the SDK takes it: ours is the same shape, with readonly arrays. */
export function sdkFinding(finding: AsffFinding): AwsSecurityFinding {
  return finding as Writable<AsffFinding>;
}

type Writable<T> = T extends readonly (infer U)[]
  ? Writable<U>[]
  : T extends object
    ? { -readonly [K in keyof T]: Writable<T[K]> }
    : T;

/** The finding with the first observation and creation Security Hub already has of it. */
function keepFirstObservation(
  finding: AsffFinding,
  previous: AwsSecurityFinding | undefined,
): AwsSecurityFinding {
  const sdk = sdkFinding(finding);
  if (previous === undefined) return sdk;
  return {
    ...sdk,
    CreatedAt: previous.CreatedAt ?? sdk.CreatedAt,
    FirstObservedAt: previous.FirstObservedAt ?? sdk.FirstObservedAt,
  };
}

/** The fields a finding provider sets (what GetFindings adds, Workflow, Note…, left out). */
const PROVIDER_FIELDS = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'ProductName',
  'CompanyName',
  'Region',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'FirstObservedAt',
  'LastObservedAt',
  'CreatedAt',
  'Severity',
  'Title',
  'Description',
  'Remediation',
  'ProductFields',
  'Resources',
  'Compliance',
  'Vulnerabilities',
  'FindingProviderFields',
] as const satisfies readonly (keyof AwsSecurityFinding)[];

/** A finding Security Hub holds, imported again as archived. */
function archived(finding: AwsSecurityFinding, now: string): AwsSecurityFinding {
  const kept: Partial<AwsSecurityFinding> = Object.fromEntries(
    PROVIDER_FIELDS.filter((k) => finding[k] !== undefined).map((k) => [k, finding[k]]),
  );
  // Security Hub adds its own product fields (`aws/securityhub/FindingId`…); they are not ours to send.
  const fields = Object.entries(finding.ProductFields ?? {}).filter(([k]) => !k.startsWith('aws/'));
  // GetFindings returns every required field, so the copy has them.
  return {
    ...(kept as AwsSecurityFinding),
    ProductFields: Object.fromEntries(fields),
    UpdatedAt: now,
    RecordState: 'ARCHIVED',
  };
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
