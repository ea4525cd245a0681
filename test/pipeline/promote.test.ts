import { promoteScan, promotionTag } from '../../shared/pipeline/promote';
import {
  MemoryAuditLog,
  MemoryRegistryWriter,
  MemoryVerdictStore,
  fixedClock,
} from '../support/pipeline-ports';
import {
  DIGEST,
  evaluatedPlatform,
  failingPlatform,
  imageTarget,
  recordInput,
  recordedScan,
} from '../support/pipeline-scans';

const WINDOW_SECONDS = 300;

function setUp(tagPattern = '{tag}') {
  return {
    registry: new MemoryRegistryWriter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    clock: fixedClock(),
    target: { repository: 'release/api', tagPattern, windowSeconds: WINDOW_SECONDS },
  };
}

describe('promotionTag', () => {
  it.each([
    ['{tag}', '1.4.2'],
    ['release-{digest12}', 'release-7f5b2640fe6f'],
    ['{tag}-{digest12}', '1.4.2-7f5b2640fe6f'],
  ])('makes %s into %s', (pattern, tag) => {
    expect(promotionTag(pattern, imageTarget())).toBe(tag);
  });

  it('makes no tag of an untagged image under {tag}', () => {
    expect(promotionTag('{tag}', imageTarget({ tag: undefined }))).toEqual({
      reason: 'the image has no tag and the promotion tag pattern {tag} needs one',
    });
  });

  it('makes no tag longer than a tag may be', () => {
    expect(promotionTag('{tag}-{digest12}', imageTarget({ tag: 'x'.repeat(120) }))).toEqual({
      reason: expect.stringContaining('not a valid tag'),
    });
  });
});

describe('promoteScan', () => {
  describe('when the image passes', () => {
    it('copies it to the promotion repository under the pattern’s tag', async () => {
      const deps = setUp();
      const result = await promoteScan(recordedScan(recordInput()), deps);
      expect(result).toEqual({ promoted: true, repository: 'release/api', tag: '1.4.2' });
      expect([...deps.registry.tags]).toEqual([['release/api:1.4.2', DIGEST]]);
    });

    it('marks the promotion for the trigger window before it pushes', async () => {
      const deps = setUp();
      deps.registry.failNext();
      await expect(promoteScan(recordedScan(recordInput()), deps)).rejects.toThrow();
      const now = deps.clock();
      expect(await deps.verdicts.isPromotion('release/api', DIGEST, now)).toBe(true);
      deps.clock.advance(WINDOW_SECONDS);
      expect(await deps.verdicts.isPromotion('release/api', DIGEST, deps.clock())).toBe(false);
    });

    it('records image.promoted with the target and the versions', async () => {
      const deps = setUp();
      await promoteScan(recordedScan(recordInput()), deps);
      expect(deps.audit.events).toEqual([
        {
          id: 'scan-1:image.promoted',
          type: 'image.promoted',
          time: '2026-11-29T10:00:00.000Z',
          actor: 'aws.ecr:123456789012',
          image: { repository: 'payments/api', digest: DIGEST, tag: '1.4.2' },
          details: {
            scanId: 'scan-1',
            decision: 'pass',
            to: { repository: 'release/api', tag: '1.4.2' },
          },
          versions: {
            policyDigest: `sha256:${'d'.repeat(64)}`,
            dataVersion: 'osv-2026-11-29T06:00:00Z',
            analyzerSet: 'analyzers-3f9a1c',
          },
        },
      ]);
    });

    it('promotes once when retried', async () => {
      const deps = setUp();
      const scan = recordedScan(recordInput());
      await promoteScan(scan, deps);
      await promoteScan(scan, deps);
      expect(deps.registry.tags.size).toBe(1);
      expect(deps.audit.events).toHaveLength(1);
    });
  });

  describe('when the image warns', () => {
    it('promotes it too', async () => {
      const deps = setUp('release-{digest12}');
      const scan = recordedScan(recordInput([evaluatedPlatform({ decision: 'warn' })]), {
        decision: 'warn',
      });
      expect(await promoteScan(scan, deps)).toMatchObject({ tag: 'release-7f5b2640fe6f' });
    });
  });

  describe('when the image has no tag and the pattern needs one', () => {
    it('says why it did not promote, and touches nothing', async () => {
      const deps = setUp();
      const scan = recordedScan(
        recordInput([evaluatedPlatform()], { image: imageTarget({ tag: undefined }) }),
      );
      expect(await promoteScan(scan, deps)).toEqual({
        promoted: false,
        repository: 'release/api',
        reason: 'the image has no tag and the promotion tag pattern {tag} needs one',
      });
      expect(deps.registry.calls).toBe(0);
      expect(deps.verdicts.promotions.size).toBe(0);
      expect(deps.audit.events).toEqual([]);
    });
  });

  it('fails when it is given a failing verdict', async () => {
    const deps = setUp();
    await expect(
      promoteScan(recordedScan(recordInput([failingPlatform()])), deps),
    ).rejects.toMatchObject({ code: 'MISCONFIGURED', kind: 'bug' });
    expect(deps.registry.calls).toBe(0);
  });
});
