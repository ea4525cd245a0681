import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { repositoryFilter } from '../../../shared/fleet/repositories';
import { ecrPushEvent } from '../../support/ecr-events';
import {
  MemoryAuditLog,
  MemoryExecutionStarter,
  MemoryVerdictStore,
  throttled,
} from '../../support/pipeline-ports';
import { ManifestOpener } from '../../support/manifest-opener';
import { DIGEST } from '../../support/pipeline-scans';

function setUp() {
  const deps = {
    starter: new MemoryExecutionStarter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    watches: repositoryFilter(['payments/*', 'release/*']),
    windowSeconds: 600,
    opener: new ManifestOpener(),
    indexWaitSeconds: 60,
  };
  return { deps, handle: bindStep(PIPELINE_STEPS['start-scan'], deps) };
}

describe("PIPELINE_STEPS['start-scan']", () => {
  it('starts ScanImage for a push', async () => {
    const { deps, handle } = setUp();
    expect(await handle(ecrPushEvent())).toMatchObject({ action: 'started' });
    expect(deps.starter.started.size).toBe(1);
  });

  describe('when the event is delivered twice', () => {
    it.each([
      ['with the same id', ecrPushEvent()],
      ['with another id', ecrPushEvent({}, { id: '5c1e0b9a-0000-4000-8000-000000000002' })],
    ])('starts one execution, %s', async (_, duplicate) => {
      const { deps, handle } = setUp();
      await handle(ecrPushEvent());
      expect(await handle(duplicate)).toMatchObject({ action: 'duplicate' });
      expect(deps.starter.started.size).toBe(1);
    });

    it('gives both the very same execution input', async () => {
      const first = setUp();
      const second = setUp();
      await first.handle(ecrPushEvent());
      await second.handle(
        ecrPushEvent({}, { id: 'another-delivery', time: '2026-11-29T09:58:00Z' }),
      );
      expect([...second.deps.starter.started]).toEqual([...first.deps.starter.started]);
    });
  });

  describe('when the push is the promotion of a scanned image', () => {
    it('starts nothing', async () => {
      const { deps, handle } = setUp();
      await deps.verdicts.markPromotion('release/api', DIGEST, new Date('2026-11-29T10:00:00Z'));
      const result = await handle(ecrPushEvent({ 'repository-name': 'release/api' }));
      expect(result).toMatchObject({ action: 'promotion' });
      expect(deps.starter.started.size).toBe(0);
    });
  });

  it('fails as Clearance.Input, not to be retried, when the event is malformed', async () => {
    const { deps, handle } = setUp();
    await expect(handle(ecrPushEvent({ 'image-digest': undefined }))).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('MALFORMED_INPUT'),
    });
    expect(deps.starter.started.size).toBe(0);
  });

  it('fails as Clearance.Transient when Step Functions throttles the start', async () => {
    const { deps, handle } = setUp();
    deps.starter.failNext(throttled());
    await expect(handle(ecrPushEvent())).rejects.toMatchObject({ name: 'Clearance.Transient' });
  });
});
