import { z } from 'zod';
import { messageOf, type Clock } from '../core';
import type { ObjectStore } from '../objects';
import type { ScanReport } from '../scan';
import {
  asffFindings,
  ecrRegistryOf,
  imageResourceId,
  type AsffPartition,
  type AsffTarget,
  type FindingsHub,
} from '../securityhub';
import { PipelineError } from './errors';
import { readReport } from './scan-keys';
import { RecordedScan, type ImageTarget } from './states';
import { stepBinding } from './step-binding';

/** Refused findings named in the output (the count is complete). */
const FAILURES_NAMED = 10;

/** What publishing a scan's findings did (PublishFindings' output, at `$.securityHub`). */
export const PublishedFindings = z.object({
  /** `published`: all imported; `partial`: Security Hub refused some; `failed`: none went. */
  status: z.enum(['published', 'partial', 'failed']),
  findings: z.number().int().nonnegative(),
  imported: z.number().int().nonnegative(),
  archived: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  failures: z.array(z.object({ id: z.string(), code: z.string(), message: z.string() })),
  /** Why nothing went (`failed`). */
  error: z.string().optional(),
});
export type PublishedFindings = z.infer<typeof PublishedFindings>;

/** Where findings go: the findings port, and the account's default product. */
export interface SecurityHubDeps {
  readonly hub: FindingsHub;
  /** `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`. */
  readonly productArn: string;
  readonly clock: Clock;
}

export interface PublishFindingsDeps extends SecurityHubDeps {
  readonly objects: ObjectStore;
}

/** The PublishFindings state: the recorded scan's findings → Security Hub. */
export const PUBLISH_FINDINGS_STEP = stepBinding(
  'PublishFindings',
  RecordedScan,
  publishScanFindings,
);

/**
 * The PublishFindings step, after Record: every platform's final report read back and its
 * findings published (imported, and what the image no longer has archived). Never fails the
 * scan: what Security Hub refused or could not take is the output, for the execution history
 * and the logs, and the verdict stands.
 */
export async function publishScanFindings(
  input: RecordedScan,
  deps: PublishFindingsDeps,
): Promise<PublishedFindings> {
  const reports: ScanReport[] = [];
  try {
    for (const platform of input.platforms)
      reports.push(await readReport(deps.objects, platform.keys.report));
  } catch (error) {
    return failed(0, `reading the reports: ${messageOf(error)}`);
  }
  return publishReports(input.image, reports, deps);
}

/**
 * The findings of an image's platform reports published to Security Hub: the scan's own, or a
 * fleet re-check's. Never throws.
 */
export async function publishReports(
  image: ImageTarget,
  reports: readonly ScanReport[],
  deps: SecurityHubDeps,
): Promise<PublishedFindings> {
  const product = parseProductArn(deps.productArn);
  const target: AsffTarget = {
    ...product,
    registryId: ecrRegistryOf(image.registry)?.accountId ?? product.accountId,
    repository: image.repository,
    tags: image.tag === undefined ? [] : [image.tag],
    observedAt: deps.clock().toISOString(),
  };
  const findings = reports.flatMap((report) => asffFindings(report, target));
  const resourceIds = reports.map((r) => imageResourceId(target, r.image.manifestDigest));
  try {
    const result = await deps.hub.publish(findings, { productArn: deps.productArn, resourceIds });
    const refused = [...result.failed, ...result.archiveFailed];
    return {
      status: refused.length === 0 ? 'published' : 'partial',
      findings: findings.length,
      imported: result.imported,
      archived: result.archived,
      failed: refused.length,
      failures: refused.slice(0, FAILURES_NAMED),
    };
  } catch (error) {
    return failed(findings.length, messageOf(error));
  }
}

function failed(findings: number, error: string): PublishedFindings {
  return {
    status: 'failed',
    findings,
    imported: 0,
    archived: 0,
    failed: findings,
    failures: [],
    error,
  };
}

const PRODUCT_ARN =
  /^arn:(aws|aws-cn|aws-us-gov):securityhub:([a-z0-9-]+):(\d{12}):product\/\3\/default$/;

/** The account, region and partition of the default product's ARN. */
export function parseProductArn(arn: string): {
  accountId: string;
  region: string;
  partition: AsffPartition;
} {
  const m = PRODUCT_ARN.exec(arn);
  if (!m)
    throw new PipelineError(
      'MISCONFIGURED',

      `expected arn:<partition>:securityhub:<region>:<account>:product/<account>/default, got ${arn}`,
      'input',
    );
  return { partition: m[1] as AsffPartition, region: m[2]!, accountId: m[3]! };
}
