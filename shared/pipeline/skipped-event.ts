import { DETAIL_VERSION, imageResources, type ClearanceEvent } from '../events';
import type { PushEvent } from './ecr-event';

/** What the audit trail says of an artifact push (start-scan.ts's `artifactDetails`). */
export type ArtifactDetails = Readonly<Record<string, unknown>> & { readonly kind: string };

/**
 * `Clearance Artifact Skipped`: a push that names no image (a signature, an SBOM referrer, a
 * chart, a signed verdict…), so nothing was scanned. Once per push and trigger window, the id
 * of its `artifact.skipped` audit event; schema in shared/events/schemas/.
 */
export function skippedEvent(
  push: PushEvent,
  execution: string,
  artifact: ArtifactDetails,
): ClearanceEvent {
  const { registry, repository, digest, tag } = push.image;
  return {
    id: `${execution}:artifact-skipped-event`,
    detailType: 'Clearance Artifact Skipped',
    time: push.time.toISOString(),
    resources: imageResources(push.image),
    detail: {
      version: DETAIL_VERSION,
      image: {
        registry,
        repository,
        digest,
        tag: tag ?? null,
        tags: tag === undefined ? [] : [tag],
      },
      pushedAt: push.time.toISOString(),
      pushEventId: push.id,
      artifact,
    },
  };
}
