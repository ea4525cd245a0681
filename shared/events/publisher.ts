/*
 * The port Clearance's EventBridge events leave by. Adapter: shared/aws/eventbridge/ (PutEvents
 * on the account's default bus). Each concern makes its own events (notify/ the verdict and
 * failure, pipeline/ the skipped artifact, deployments/ the deployment ones); their `detail`
 * schemas are in schemas/ beside this file.
 */

/** Every event's `source`: rules match on it (`{"source": ["clearance"]}`). */
export const EVENT_SOURCE = 'clearance';

/**
 * `detail.version` of every detail-type: a major version. Fields are only added within it;
 * renaming, removing or retyping a field makes the next one ("2").
 */
export const DETAIL_VERSION = '1';

/** The detail-types, each with its schema `schemas/<slug>.schema.json`. */
export const DETAIL_TYPES = {
  'Clearance Scan Verdict': 'scan-verdict',
  'Clearance Scan Failed': 'scan-failed',
  'Clearance Artifact Skipped': 'artifact-skipped',
  'Clearance Image Deployed': 'image-deployed',
  'Clearance Deployment Stopped': 'deployment-stopped',
} as const;
export type DetailType = keyof typeof DETAIL_TYPES;

/** The `$id` of a detail-type's schema. */
export function detailSchemaId(detailType: DetailType): string {
  return `https://clearance.invalid/schemas/events/${DETAIL_TYPES[detailType]}.schema.json`;
}

/** One event for the bus: what PutEvents takes, and the id it is published once by. */
export interface ClearanceEvent {
  /** Deterministic (the scan's id and the detail-type, say): publishing it again sends nothing. */
  readonly id: string;
  readonly detailType: DetailType;
  /** The event's own time (the push's, the task's start); absent: when it is put. */
  readonly time?: string;
  /** The repository's ARN when the image is in ECR, and the image by digest. */
  readonly resources: readonly string[];
  /** Valid against the detail-type's schema; `version` first. */
  readonly detail: { readonly version: typeof DETAIL_VERSION } & Readonly<Record<string, unknown>>;
}

export interface EventPublisher {
  /** Publishes unless an event with the same id was published already; true when sent. */
  publish(event: ClearanceEvent): Promise<boolean>;
}
