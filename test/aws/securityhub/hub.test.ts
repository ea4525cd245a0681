import {
  BatchImportFindingsCommand,
  BatchUpdateFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
  type AwsSecurityFinding,
  type AwsSecurityFindingFilters,
} from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsError } from '../../../shared/aws/errors';
import { SecurityHubFindings, sdkFinding } from '../../../shared/aws/securityhub';
import {
  asffFindings,
  defaultProductArn,
  imageResourceId,
  type AsffFinding,
} from '../../../shared/securityhub';
import { MANIFEST, TARGET, scanReport, vulnerability } from '../../securityhub/report-fixture';

const hubClient = mockClient(SecurityHubClient);
const PRODUCT = defaultProductArn(TARGET);
const SCOPE = { productArn: PRODUCT, resourceIds: [imageResourceId(TARGET, MANIFEST)] };
const LATER = '2026-12-08T12:00:00.000Z';

/**
 * Security Hub as far as Clearance uses it, in memory: BatchImportFindings upserts by id (and
 * refuses an id containing "refuse"), GetFindings filters on product, resource, generator
 * prefix and record state (two findings a page), BatchUpdateFindings sets the workflow.
 */
class FakeSecurityHub {
  readonly findings = new Map<string, AwsSecurityFinding>();
  readonly calls: string[] = [];
  /** Throttles the next n calls of any kind. */
  throttle = 0;

  install(): void {
    hubClient
      .on(BatchImportFindingsCommand)
      .callsFake((input: { Findings: AwsSecurityFinding[] }) => {
        this.enter(`import ${input.Findings.length}`);
        expect(input.Findings.length).toBeLessThanOrEqual(100);
        const failed = input.Findings.filter((f) => f.Id!.includes('refuse'));
        // Security Hub's own product fields are never sent back by a provider.
        const theirs = input.Findings.flatMap((f) => Object.keys(f.ProductFields ?? {}));
        expect(theirs.filter((k) => k.startsWith('aws/'))).toEqual([]);
        for (const f of input.Findings)
          if (!failed.includes(f))
            this.findings.set(f.Id!, {
              ...this.findings.get(f.Id!),
              ...f,
              Workflow: this.workflowOf(f),
            });
        return {
          SuccessCount: input.Findings.length - failed.length,
          FailedCount: failed.length,
          FailedFindings: failed.map((f) => ({
            Id: f.Id,
            ErrorCode: 'InvalidInput',
            ErrorMessage: 'refused',
          })),
        };
      });
    hubClient
      .on(GetFindingsCommand)
      .callsFake((input: { Filters: AwsSecurityFindingFilters; NextToken?: string }) => {
        this.enter('get');
        const f = input.Filters;
        const all = [...this.findings.values()].filter(
          (x) =>
            x.ProductArn === f.ProductArn![0]!.Value &&
            f.ResourceId!.some((r) => x.Resources!.some((res) => res.Id === r.Value)) &&
            x.GeneratorId!.startsWith(f.GeneratorId![0]!.Value!) &&
            (x.RecordState ?? 'ACTIVE') === f.RecordState![0]!.Value,
        );
        const from = Number(input.NextToken ?? 0);
        // As Security Hub answers: with its own product fields added.
        const withTheirs = all.map((x) => ({
          ...x,
          ProductFields: { ...x.ProductFields, 'aws/securityhub/FindingId': `${PRODUCT}/${x.Id!}` },
        }));
        return {
          Findings: withTheirs.slice(from, from + 2),
          NextToken: from + 2 < all.length ? String(from + 2) : undefined,
        };
      });
    hubClient
      .on(BatchUpdateFindingsCommand)
      .callsFake((input: { FindingIdentifiers: { Id: string }[] }) => {
        this.enter('resolve');
        for (const { Id } of input.FindingIdentifiers) {
          const f = this.findings.get(Id)!;
          this.findings.set(Id, { ...f, Workflow: { Status: 'RESOLVED' } });
        }
        return { ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] };
      });
  }

  active(): AwsSecurityFinding[] {
    return [...this.findings.values()].filter((f) => f.RecordState === 'ACTIVE');
  }

  private enter(call: string): void {
    if (this.throttle > 0) {
      this.throttle--;
      throw Object.assign(new Error('Rate exceeded'), {
        name: 'TooManyRequestsException',
        $metadata: { httpStatusCode: 429 },
      });
    }
    this.calls.push(call);
  }

  /** Security Hub's rule: an archived finding's workflow stays; one made active again is NEW. */
  private workflowOf(f: AwsSecurityFinding) {
    const before = this.findings.get(f.Id!);
    if (before?.RecordState === 'ARCHIVED' && f.RecordState === 'ACTIVE')
      return { Status: 'NEW' as const };
    return before?.Workflow ?? { Status: 'NEW' as const };
  }
}

describe('SecurityHubFindings', () => {
  let fake: FakeSecurityHub;
  const hub = (now = LATER) =>
    new SecurityHubFindings({
      client: new SecurityHubClient({ region: 'eu-west-1' }),
      now: () => new Date(now),
      sleep: async () => {},
    });

  beforeEach(() => {
    hubClient.reset();
    fake = new FakeSecurityHub();
    fake.install();
  });

  describe('when an image is scanned for the first time', () => {
    it('imports every finding, nothing to archive', async () => {
      const findings = asffFindings(scanReport(), TARGET);
      const result = await hub().publish(findings, SCOPE);
      expect(result).toEqual({
        imported: findings.length,
        failed: [],
        archived: 0,
        archiveFailed: [],
      });
      expect(
        fake
          .active()
          .map((f) => f.Id)
          .sort(),
      ).toEqual(findings.map((f) => f.Id).sort());
    });
  });

  describe('when the image is scanned again', () => {
    it('updates the same ids, keeping when they were first observed', async () => {
      await hub().publish(asffFindings(scanReport(), TARGET), SCOPE);
      const again = asffFindings(scanReport(), { ...TARGET, observedAt: LATER });
      const result = await hub().publish(again, SCOPE);
      expect(result.imported).toBe(again.length);
      expect(fake.findings.size).toBe(again.length);
      const first = fake.findings.get(again[0]!.Id)!;
      expect(first.FirstObservedAt).toBe(TARGET.observedAt);
      expect(first.CreatedAt).toBe(TARGET.observedAt);
      expect(first.UpdatedAt).toBe(LATER);
    });

    it('archives and resolves what is gone: fixed, suppressed by VEX, a check that now passes', async () => {
      const before = asffFindings(scanReport(), TARGET);
      await hub().publish(before, SCOPE);
      const report = scanReport();
      const after = asffFindings(
        scanReport({
          vulnerabilities: [
            vulnerability({ suppressedBy: { kind: 'vex', reason: 'not_affected' } }),
            report.vulnerabilities![1]!,
          ],
          checks: report.checks!.filter((c) => c.id !== 'user-root'),
        }),
        { ...TARGET, observedAt: LATER },
      );
      const result = await hub().publish(after, SCOPE);
      expect(result.archived).toBe(2);
      const gone = before.filter((f) => !after.some((a) => a.Id === f.Id)).map((f) => f.Id);
      for (const id of gone)
        expect(fake.findings.get(id)).toMatchObject({
          RecordState: 'ARCHIVED',
          Workflow: { Status: 'RESOLVED' },
          UpdatedAt: LATER,
        });
      expect(fake.active()).toHaveLength(after.length);
    });

    it('makes a finding that comes back active again', async () => {
      const all = asffFindings(scanReport(), TARGET);
      await hub().publish(all, SCOPE);
      await hub().publish(all.slice(1), SCOPE);
      await hub().publish(all, SCOPE);
      expect(fake.findings.get(all[0]!.Id)).toMatchObject({
        RecordState: 'ACTIVE',
        Workflow: { Status: 'NEW' },
      });
    });

    it('leaves alone the findings of other images and other products', async () => {
      await hub().publish(asffFindings(scanReport(), TARGET), SCOPE);
      const other = {
        ...SCOPE,
        resourceIds: [imageResourceId(TARGET, `sha256:${'d'.repeat(64)}`)],
      };
      expect((await hub().publish([], other)).archived).toBe(0);
      expect(fake.active().length).toBeGreaterThan(0);
    });
  });

  describe('when there are more than 100 findings', () => {
    it('imports them 100 a call', async () => {
      const many = Array.from({ length: 250 }, (_, i) =>
        vulnerability({ id: `CVE-2024-${10000 + i}`, aliases: [] }),
      );
      const findings = asffFindings(
        scanReport({ vulnerabilities: many, checks: [], secrets: [], sensitiveFiles: [] }),
        TARGET,
      );
      const result = await hub().publish(findings, SCOPE);
      expect(result.imported).toBe(250);
      expect(fake.calls.filter((c) => c.startsWith('import'))).toEqual([
        'import 100',
        'import 100',
        'import 50',
      ]);
    });
  });

  describe('when Security Hub throttles', () => {
    it('retries with backoff and gets through', async () => {
      fake.throttle = 3;
      const findings = asffFindings(scanReport(), TARGET);
      expect((await hub().publish(findings, SCOPE)).imported).toBe(findings.length);
    });

    it('fails as a transient AwsError when it keeps throttling', async () => {
      fake.throttle = 100;
      const publishing = hub().publish(asffFindings(scanReport(), TARGET), SCOPE);
      await expect(publishing).rejects.toThrow(AwsError);
      await expect(publishing).rejects.toMatchObject({ kind: 'transient' });
      await expect(publishing).rejects.toThrow(
        /Security Hub GetFindings .*TooManyRequestsException \(HTTP 429\)/,
      );
    });
  });

  describe('when Security Hub refuses some findings', () => {
    it('reports each refused one with its reason, and imports the rest', async () => {
      const [good, bad] = asffFindings(scanReport(), TARGET);
      const refused: AsffFinding = { ...bad!, Id: `${bad!.Id}-refuse` };
      const result = await hub().publish([good!, refused], SCOPE);
      expect(result.imported).toBe(1);
      expect(result.failed).toEqual([{ id: refused.Id, code: 'InvalidInput', message: 'refused' }]);
    });
  });
});

describe('the findings against the Security Hub API model', () => {
  // The SDK's own serializer, not the mock: it writes only the model's members.
  beforeAll(() => hubClient.restore());

  const serialized = async (findings: AwsSecurityFinding[]): Promise<unknown> => {
    const bodies: unknown[] = [];
    const client = new SecurityHubClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        handle: (request: { body?: string | Uint8Array }) => {
          const body = request.body;
          bodies.push(typeof body === 'string' ? body : new TextDecoder().decode(body));
          const answer = '{"FailedCount":0,"SuccessCount":1,"FailedFindings":[]}';
          return Promise.resolve({
            response: {
              statusCode: 200,
              headers: { 'content-type': 'application/json' },
              body: new TextEncoder().encode(answer),
            },
          });
        },
      } as never,
    });
    await client.send(new BatchImportFindingsCommand({ Findings: findings }));
    return JSON.parse(bodies[0] as string);
  };

  it('serialize through the SDK with every field kept', async () => {
    const findings = asffFindings(scanReport(), TARGET);
    expect(await serialized(findings.map(sdkFinding))).toEqual({
      Findings: JSON.parse(JSON.stringify(findings)),
    });
  });

  it('would lose a field the model does not have (the check can fail)', async () => {
    const [finding] = asffFindings(scanReport(), TARGET).map(sdkFinding);
    const body = (await serialized([{ ...finding!, Bogus: 1 } as AwsSecurityFinding])) as {
      Findings: Record<string, unknown>[];
    };
    expect(body.Findings[0]).not.toHaveProperty('Bogus');
  });
});
