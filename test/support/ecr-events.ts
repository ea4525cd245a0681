import { DIGEST } from './pipeline-scans';

/** An EventBridge `ECR Image Action` event of a successful push, as ECR sends it. */
export function ecrPushEvent(
  detail: Record<string, unknown> = {},
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    version: '0',
    id: '13cde686-328b-6117-af20-0e5566167482',
    'detail-type': 'ECR Image Action',
    source: 'aws.ecr',
    account: '123456789012',
    time: '2026-11-29T09:55:12Z',
    region: 'eu-west-1',
    resources: [],
    detail: {
      result: 'SUCCESS',
      'repository-name': 'payments/api',
      'image-digest': DIGEST,
      'action-type': 'PUSH',
      'image-tag': '1.4.2',
      ...detail,
    },
    ...overrides,
  };
}
