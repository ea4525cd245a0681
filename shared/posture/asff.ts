import { createHash } from 'node:crypto';
import { CIS_BENCHMARK, type PostureCheckResult } from './check';
import type { PostureReport, WorkloadReport } from './report';
import { TOOL } from '../core';
import {
  ASFF_LIMITS,
  ASFF_SCHEMA_VERSION,
  truncate,
  type AsffFinding,
  type AsffPartition,
  type AsffPostureResource,
  defaultProductArn,
  GENERATOR_PREFIX,
  DEFAULT_REGION,
  PLACEHOLDER_ACCOUNT,
  type TargetOptions,
} from '../securityhub';

/** Where posture findings are imported: the account and region, and when they were observed. */
export interface PostureAsffTarget {
  readonly accountId: string;
  readonly region: string;
  readonly partition?: AsffPartition;
  readonly observedAt: string;
}

/**
 * The failed and erring checks of a posture report as ASFF, one finding per check and container
 * (or workload, or repository): ids are the workload's id and the check's, so a later run
 * updates them. A CIS Docker Benchmark item becomes the finding's compliance requirement.
 */
export function postureAsffFindings(
  report: PostureReport,
  target: PostureAsffTarget,
): AsffFinding<AsffPostureResource>[] {
  const workloads = report.workloads.flatMap((w) =>
    w.checks
      .filter(failing)
      .map((check) => finding(check, workloadResource(w, check, target), target)),
  );
  const repositories = (report.registry?.repositories ?? []).flatMap((r) =>
    r.checks.filter(failing).map((check) =>
      finding(
        check,
        resource('AwsEcrRepository', r.arn, target, {
          AwsEcrRepository: { RepositoryName: r.name },
        }),
        target,
      ),
    ),
  );
  const registry = report.registry?.registry;
  const registryWide =
    registry === null || registry === undefined
      ? []
      : registry.checks
          .filter(failing)
          .map((check) =>
            finding(
              check,
              resource('AwsEcrRepository', `ecr:registry/${registry.registryId}`, target),
              target,
            ),
          );
  return [...workloads, ...repositories, ...registryWide];
}

const failing = (c: PostureCheckResult) => c.status === 'fail' || c.status === 'error';

function workloadResource(
  w: WorkloadReport,
  check: PostureCheckResult,
  target: PostureAsffTarget,
): AsffPostureResource {
  if (w.format === 'ecs')
    return resource('AwsEcsTaskDefinition', w.id, target, {
      AwsEcsTaskDefinition: { Family: w.name },
    });
  const container = w.containers.find((c) => c.name === check.container);
  const name = `${w.id}${check.container === null ? '' : `/${check.container}`}`;
  return resource('Container', name, target, {
    Container: {
      Name: check.container ?? w.name,
      ...(container?.image.reference ? { ImageName: container.image.reference } : {}),
    },
  });
}

function resource(
  type: AsffPostureResource['Type'],
  id: string,
  target: PostureAsffTarget,
  details?: AsffPostureResource['Details'],
): AsffPostureResource {
  return {
    Type: type,
    Id: truncate(id, ASFF_LIMITS.id),
    Partition: target.partition ?? 'aws',
    Region: target.region,
    ...(details !== undefined && { Details: details }),
  };
}

/** `clearance/posture/<check>/<resource>/<hash of resource, check and container>`: stable, at most 512. */
function idOf(subject: AsffPostureResource, check: PostureCheckResult): string {
  const where = `${subject.Id}/${check.id}/${check.container ?? '-'}`;
  const hash = createHash('sha256').update(where).digest('hex').slice(0, 16);
  const head = `${GENERATOR_PREFIX}posture/${check.id}/`;
  const room = ASFF_LIMITS.id - head.length - hash.length - 1;
  return `${head}${subject.Id.replace(/[^\w.:/-]/g, '_').slice(0, room)}/${hash}`;
}

function finding(
  check: PostureCheckResult,
  subject: AsffPostureResource,
  target: PostureAsffTarget,
): AsffFinding<AsffPostureResource> {
  const severity = { Label: check.severity, Original: check.severity } as const;
  const types = [
    check.cis === null
      ? 'Software and Configuration Checks/AWS Security Best Practices/Runtime Posture'
      : `Software and Configuration Checks/Industry and Regulatory Standards/${CIS_BENCHMARK}`,
  ];
  const evidence = check.evidence.map((e) => `${e.path}=${JSON.stringify(e.value)}`).join('; ');
  const at = target.observedAt;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: idOf(subject, check),
    ProductArn: defaultProductArn(target),
    ProductName: 'Clearance',
    CompanyName: TOOL.vendor,
    Region: target.region,
    GeneratorId: `${GENERATOR_PREFIX}posture/${check.id}`,
    AwsAccountId: target.accountId,
    Types: types,
    FirstObservedAt: at,
    LastObservedAt: at,
    CreatedAt: at,
    UpdatedAt: at,
    Severity: severity,
    Title: truncate(
      `${check.title}${check.container === null ? '' : ` (${check.container})`}`,
      ASFF_LIMITS.title,
    ),
    Description: truncate(
      `${check.status === 'error' ? 'Could not be evaluated: ' : ''}${check.reason ?? check.title}${evidence === '' ? '' : ` (${evidence})`}`,
      ASFF_LIMITS.description,
    ),
    Remediation: { Recommendation: { Text: truncate(check.remediation, 512) } },
    ProductFields: {
      'clearance/kind': 'posture',
      'clearance/check': check.id,
      'clearance/status': check.status,
      ...(check.cis === null ? {} : { 'clearance/cis': `${CIS_BENCHMARK} ${check.cis}` }),
    },
    Resources: [subject],
    ...(check.cis !== null && {
      Compliance: {
        Status: 'FAILED' as const,
        RelatedRequirements: [`CIS Docker Benchmark v1.6.0/${check.cis}`],
      },
    }),
    FindingProviderFields: { Severity: severity, Types: types },
    RecordState: 'ACTIVE',
  };
}

/**
 * `clearance posture --format asff`: the failed and erring checks as the BatchImportFindings
 * request body, in the account and region given (`AWS_ACCOUNT_ID`, `AWS_REGION`), else
 * placeholders a user replaces before importing.
 */
export function postureAsffJson(report: PostureReport, options: TargetOptions): string {
  const findings = postureAsffFindings(report, {
    accountId: options.accountId ?? PLACEHOLDER_ACCOUNT,
    region: options.region ?? DEFAULT_REGION,
    observedAt: options.observedAt,
  });
  return `${JSON.stringify({ Findings: findings }, null, 2)}\n`;
}
