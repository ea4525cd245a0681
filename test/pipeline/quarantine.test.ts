import { quarantineScan } from '../../shared/pipeline/quarantine';
import {
  MemoryAuditLog,
  MemoryRegistryWriter,
  MemoryVerdictStore,
  fixedClock,
} from '../support/pipeline-ports';
import {
  DIGEST,
  failingPlatform,
  imageTarget,
  recordInput,
  recordedScan,
} from '../support/pipeline-scans';

const REASON = 'fail: 2 critical, 1 high, secret found, 2 rules failed, 1 check failed';

function setUp(mode: 'record' | 'tag') {
  return {
    registry: new MemoryRegistryWriter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    clock: fixedClock(),
    mode,
    windowSeconds: 300,
  };
}

const failing = () => recordedScan(recordInput([failingPlatform()]));

describe('quarantineScan', () => {
  describe('when the mode is record', () => {
    it('records the digest as blocked, with why, and tags nothing', async () => {
      const deps = setUp('record');
      expect(await quarantineScan(failing(), deps)).toEqual({ mode: 'record', reason: REASON });
      expect(deps.verdicts.blocks).toEqual([
        { image: imageTarget(), scanId: 'scan-1', reason: REASON },
      ]);
      expect(deps.registry.calls).toBe(0);
    });

    it('records image.quarantined', async () => {
      const deps = setUp('record');
      await quarantineScan(failing(), deps);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({
          id: 'scan-1:image.quarantined',
          type: 'image.quarantined',
          details: { scanId: 'scan-1', mode: 'record', reason: REASON },
        }),
      ]);
    });
  });

  describe('when the mode is tag', () => {
    it('also tags the digest quarantine-<digest12> in its repository', async () => {
      const deps = setUp('tag');
      expect(await quarantineScan(failing(), deps)).toEqual({
        mode: 'tag',
        tag: 'quarantine-7f5b2640fe6f',
        reason: REASON,
      });
      expect([...deps.registry.tags]).toEqual([['payments/api:quarantine-7f5b2640fe6f', DIGEST]]);
      expect(deps.verdicts.blocks).toHaveLength(1);
      expect(deps.audit.events[0]!.details).toMatchObject({ tag: 'quarantine-7f5b2640fe6f' });
    });

    it('marks the tag’s push so that it is not scanned again', async () => {
      const deps = setUp('tag');
      await quarantineScan(failing(), deps);
      expect(await deps.verdicts.isPromotion('payments/api', DIGEST, deps.clock())).toBe(true);
    });

    it('quarantines once when retried', async () => {
      const deps = setUp('tag');
      await quarantineScan(failing(), deps);
      await quarantineScan(failing(), deps);
      expect(deps.verdicts.blocks).toHaveLength(1);
      expect(deps.registry.tags.size).toBe(1);
      expect(deps.audit.events).toHaveLength(1);
    });
  });

  it('fails when it is given a verdict that is not fail', async () => {
    const deps = setUp('tag');
    await expect(quarantineScan(recordedScan(recordInput()), deps)).rejects.toMatchObject({
      code: 'MISCONFIGURED',
    });
    expect(deps.verdicts.blocks).toEqual([]);
  });
});
