import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StoredVerdict } from '../../shared/pipeline/ports';

/** test/fixtures/ecs-task-events/ (its README says where each event comes from). */
export const ECS_TASK_EVENTS = join(__dirname, '..', 'fixtures', 'ecs-task-events');

export type EcsTaskEventName =
  | 'running-fargate'
  | 'pending-fargate'
  | 'running-stopping'
  | 'stopped-fargate'
  | 'running-service'
  | 'malformed-no-task-arn'
  | 'empty';

/** A fixture event as EventBridge delivers it (a fresh copy each call). */
export function ecsTaskEvent(name: EcsTaskEventName): Record<string, unknown> {
  return JSON.parse(readFileSync(join(ECS_TASK_EVENTS, `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The documented task (running-fargate.json) and its container's digest. */
export const FARGATE_TASK =
  'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad';
export const FARGATE_CLUSTER = 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster';
export const FARGATE_DIGEST =
  'sha256:74b2c688c700ec95a93e478cdb959737c148df3fbf5ea706abe0318726e885e6';

/** running-service.json: its task, cluster and the digests of its two ECR containers. */
export const SERVICE_TASK =
  'arn:aws:ecs:eu-west-1:123456789012:task/prod-east/0f4c1c1e9d6b4f6f8a0b0c3e2d1a9b87';
export const SERVICE_CLUSTER = 'arn:aws:ecs:eu-west-1:123456789012:cluster/prod-east';
export const API_DIGEST = `sha256:${'a'.repeat(64)}`;
export const LOG_ROUTER_DIGEST = `sha256:${'b'.repeat(64)}`;

/** A stored verdict of `digest`. */
export function storedVerdict(
  digest: string,
  decision: StoredVerdict['decision'],
  scanId = `scan-${decision}`,
): StoredVerdict {
  return {
    digest,
    decision,
    scanId,
    recordedAt: '2026-11-29T10:00:00.000Z',
    severeFindings: decision === 'fail' ? ['CVE-2024-0001'] : [],
    policyDigest: `sha256:${'c'.repeat(64)}`,
    dataVersion: 'osv-2026-11-29T00:00:00Z',
    analyzerSet: 'analyzers-7',
    platforms: [],
  };
}
