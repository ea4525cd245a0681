import { parseEcrPushEvent } from '../../shared/pipeline/ecr-event';
import { repositoryFilter } from '../../shared/pipeline/fleet/repositories';
import {
  MAX_EXECUTION_NAME_LENGTH,
  executionName,
  startScan,
} from '../../shared/pipeline/start-scan';
import { ScanImageInput } from '../../shared/pipeline/steps';
import { ecrPushEvent } from '../support/ecr-events';
import {
  MemoryAuditLog,
  MemoryExecutionStarter,
  MemoryVerdictStore,
} from '../support/pipeline-ports';
import { DIGEST, OTHER_DIGEST, imageTarget } from '../support/pipeline-scans';

const WINDOW_SECONDS = 300;

function setUp(globs = ['*']) {
  return {
    starter: new MemoryExecutionStarter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    watches: repositoryFilter(globs),
    windowSeconds: WINDOW_SECONDS,
  };
}

const push = (detail: Record<string, unknown> = {}, overrides: Record<string, unknown> = {}) =>
  parseEcrPushEvent(ecrPushEvent(detail, overrides));

describe('startScan', () => {
  describe('when a watched repository is pushed to', () => {
    it('starts ScanImage with the image and a push trigger', async () => {
      const deps = setUp();
      const result = await startScan(push(), deps);
      const window = Math.floor(Date.parse('2026-11-29T09:55:12Z') / 1000 / WINDOW_SECONDS);
      expect(result).toEqual({
        action: 'started',
        execution: expect.stringMatching(/^payments-api-/),
      });
      expect([...deps.starter.started]).toEqual([
        [
          result.action === 'started' && result.execution,
          {
            image: imageTarget(),
            trigger: {
              type: 'push',
              id: result.action === 'started' && result.execution,
              actor: 'aws.ecr:123456789012',
              time: new Date(window * WINDOW_SECONDS * 1000).toISOString(),
            },
          },
        ],
      ]);
      expect(ScanImageInput.safeParse([...deps.starter.started.values()][0]).success).toBe(true);
    });

    it('records image.pushed with the event id', async () => {
      const deps = setUp();
      const result = await startScan(push(), deps);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({
          type: 'image.pushed',
          id: `${result.action === 'started' && result.execution}:image.pushed`,
          time: '2026-11-29T09:55:12.000Z',
          details: expect.objectContaining({
            eventId: '13cde686-328b-6117-af20-0e5566167482',
            promotion: false,
          }),
        }),
      ]);
    });
  });

  describe('when the event comes twice', () => {
    it.each([
      ['with the same id', {}],
      ['with another id', { id: 'a-second-delivery' }],
      ['a little later in the window', { id: 'later', time: '2026-11-29T09:59:59Z' }],
    ])('starts one execution, %s', async (_, overrides) => {
      const deps = setUp();
      expect((await startScan(push(), deps)).action).toBe('started');
      expect(await startScan(push({}, overrides), deps)).toMatchObject({ action: 'duplicate' });
      expect(deps.starter.started.size).toBe(1);
      expect(deps.audit.types()).toEqual(['image.pushed']);
    });

    it('starts another in the next trigger window', async () => {
      const deps = setUp();
      await startScan(push(), deps);
      await startScan(push({}, { time: '2026-11-29T10:00:00Z' }), deps);
      expect(deps.starter.started.size).toBe(2);
    });
  });

  describe('when another digest is pushed to the same repository', () => {
    it('starts a scan of it too', async () => {
      const deps = setUp();
      await startScan(push(), deps);
      await startScan(push({ 'image-digest': OTHER_DIGEST }), deps);
      expect(deps.starter.started.size).toBe(2);
    });
  });

  describe('when the push is the pipeline’s own promotion', () => {
    it('starts nothing and records the push as a promotion', async () => {
      const deps = setUp();
      await deps.verdicts.markPromotion('release/api', DIGEST, new Date('2026-11-29T10:05:00Z'));
      const result = await startScan(push({ 'repository-name': 'release/api' }), deps);
      expect(result).toMatchObject({ action: 'promotion' });
      expect(deps.starter.started.size).toBe(0);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({
          type: 'image.pushed',
          image: { repository: 'release/api', digest: DIGEST, tag: '1.4.2' },
          details: expect.objectContaining({ promotion: true }),
        }),
      ]);
    });

    it('scans a push of the digest once the marker has expired', async () => {
      const deps = setUp();
      await deps.verdicts.markPromotion('release/api', DIGEST, new Date('2026-11-29T09:50:00Z'));
      const result = await startScan(push({ 'repository-name': 'release/api' }), deps);
      expect(result.action).toBe('started');
    });
  });

  describe('when the repository is not watched', () => {
    it('ignores the push and records nothing', async () => {
      const deps = setUp(['team/*', 'base']);
      expect(await startScan(push(), deps)).toEqual({
        action: 'ignored',
        reason: 'payments/api is not a watched repository',
      });
      expect(deps.starter.started.size).toBe(0);
      expect(deps.audit.events).toEqual([]);
    });
  });

  describe('when the start fails', () => {
    it('records nothing, so that the redelivered event starts it', async () => {
      const deps = setUp();
      deps.starter.failNext();
      await expect(startScan(push(), deps)).rejects.toThrow('Rate exceeded');
      expect(deps.audit.events).toEqual([]);
      expect((await startScan(push(), deps)).action).toBe('started');
    });
  });
});

describe('executionName', () => {
  it('is the repository slug, a repository hash, the digest prefix and the window', () => {
    expect(executionName(imageTarget(), 5_873_412)).toMatch(
      /^payments-api-[0-9a-f]{8}-7f5b2640fe6f0000-5873412$/,
    );
  });

  it('tells apart repositories whose slugs are alike', () => {
    const names = ['a/b', 'a-b', 'a.b', 'a_b'].map((repository) =>
      executionName(imageTarget({ repository }), 1),
    );
    expect(new Set(names).size).toBe(4);
  });

  it('tells apart the same repository in two registries', () => {
    const other = imageTarget({ registry: '210987654321.dkr.ecr.eu-west-1.amazonaws.com' });
    expect(executionName(other, 1)).not.toBe(executionName(imageTarget(), 1));
  });

  it('stays within what Step Functions accepts for a very long repository', () => {
    const name = executionName(
      imageTarget({ repository: `${'team-'.repeat(50)}/api` }),
      99_999_999_999,
    );
    expect(name.length).toBeLessThanOrEqual(MAX_EXECUTION_NAME_LENGTH);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(name).not.toMatch(/--/);
  });
});
