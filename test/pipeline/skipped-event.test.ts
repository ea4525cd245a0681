import { repositoryFilter } from '../../shared/fleet/repositories';
import { parseEcrPushEvent } from '../../shared/pipeline/ecr-event';
import { startScan } from '../../shared/pipeline/start-scan';
import { readArtifactFixture } from '../support/artifacts';
import { ecrPushEvent } from '../support/ecr-events';
import { eventSchemaErrors, MemoryEventPublisher } from '../support/events';
import { ManifestOpener } from '../support/manifest-opener';
import {
  MemoryAuditLog,
  MemoryExecutionStarter,
  MemoryVerdictStore,
} from '../support/pipeline-ports';
import { DIGEST } from '../support/pipeline-scans';

function setUp() {
  return {
    starter: new MemoryExecutionStarter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    watches: repositoryFilter(['*']),
    windowSeconds: 300,
    opener: new ManifestOpener(),
    indexWaitSeconds: 60,
    events: new MemoryEventPublisher(),
  };
}

const push = (detail: Record<string, unknown> = {}) => parseEcrPushEvent(ecrPushEvent(detail));

describe('startScan', () => {
  describe('when events are on and the push is not an image', () => {
    it.each(['cosign-signature-tag', 'clearance-verdict', 'helm-chart', 'sbom-spdx-harbor'])(
      'puts Clearance Artifact Skipped for a %s, valid against its schema',
      async (fixture) => {
        const deps = setUp();
        deps.opener.set(DIGEST, readArtifactFixture(fixture));
        await startScan(push(), deps);
        const [event, ...more] = deps.events.events;
        expect(more).toEqual([]);
        expect(event).toMatchObject({
          detailType: 'Clearance Artifact Skipped',
          detail: {
            version: '1',
            image: { repository: 'payments/api', digest: DIGEST },
            artifact: { kind: expect.any(String) },
          },
        });
        expect(eventSchemaErrors(event!)).toEqual([]);
      },
    );

    it('puts it once when the push event comes twice', async () => {
      const deps = setUp();
      deps.opener.set(DIGEST, readArtifactFixture('helm-chart'));
      await startScan(push(), deps);
      await startScan(push(), deps);
      expect(deps.events.events).toHaveLength(1);
    });
  });

  describe('when the push is an image', () => {
    it('puts no event (its verdict comes from Notify)', async () => {
      const deps = setUp();
      await startScan(push(), deps);
      expect(deps.starter.started.size).toBe(1);
      expect(deps.events.events).toEqual([]);
    });
  });
});
