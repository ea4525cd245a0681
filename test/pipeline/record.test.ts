import { changeSince, recordScan, worstDecision } from '../../shared/pipeline/record';
import { ScanSummary } from '../../shared/pipeline/scan-summary';
import type { StoredVerdict } from '../../shared/pipeline';
import {
  MemoryAuditLog,
  MemoryObjectStore,
  MemoryVerdictStore,
  fixedClock,
  throttled,
} from '../support/pipeline-ports';
import {
  evaluatedPlatform,
  failingPlatform,
  imageTarget,
  recordInput,
} from '../support/pipeline-scans';

function setUp() {
  const deps = {
    objects: new MemoryObjectStore(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    clock: fixedClock(),
  };
  return deps;
}

/** The digest of the policy `evaluatedPlatform` is judged under. */
const POLICY_DIGEST = evaluatedPlatform().policy.digest;

/** A verdict recorded before, of the same repository:tag, under the same policy. */
function previous(overrides: Partial<StoredVerdict> = {}): StoredVerdict {
  return {
    digest: `sha256:${'e'.repeat(64)}`,
    decision: 'pass',
    scanId: 'scan-0',
    recordedAt: '2026-11-28T10:00:00.000Z',
    severeFindings: [],
    policyDigest: POLICY_DIGEST,
    dataVersion: 'osv-old',
    analyzerSet: 'analyzers-old',
    platforms: [],
    ...overrides,
  };
}

describe('worstDecision', () => {
  it.each([
    [['pass', 'pass'], 'pass'],
    [['pass', 'warn'], 'warn'],
    [['warn', 'fail', 'pass'], 'fail'],
    [[], 'pass'],
  ] as const)('of %j is %s', (decisions, worst) => {
    expect(worstDecision(decisions)).toBe(worst);
  });
});

describe('changeSince', () => {
  describe('when there is no previous scan', () => {
    it('is a change unless the image passes', () => {
      expect(changeSince(undefined, 'pass', ['CVE-1'])).toEqual({
        changed: false,
        reasons: [],
        newSevereFindings: ['CVE-1'],
      });
      expect(changeSince(undefined, 'warn', [])).toEqual({
        changed: true,
        reasons: ['first scan: warn'],
        newSevereFindings: [],
      });
    });
  });

  describe('when there is a previous scan', () => {
    it('is no change for the same verdict and no new critical/high finding', () => {
      const before = previous({ decision: 'fail', severeFindings: ['CVE-1', 'CVE-2'] });
      expect(changeSince(before, 'fail', ['CVE-1']).changed).toBe(false);
    });

    it('names a changed verdict', () => {
      expect(changeSince(previous({ decision: 'fail' }), 'pass', []).reasons).toEqual([
        'verdict fail → pass',
      ]);
    });

    it('names new critical/high findings, at most three by id', () => {
      const change = changeSince(previous({ severeFindings: ['CVE-1'] }), 'pass', [
        'CVE-1',
        'CVE-2',
        'CVE-3',
        'CVE-4',
        'CVE-5',
      ]);
      expect(change).toEqual({
        changed: true,
        reasons: ['4 new critical/high (CVE-2, CVE-3, CVE-4 and 1 more)'],
        newSevereFindings: ['CVE-2', 'CVE-3', 'CVE-4', 'CVE-5'],
      });
    });
  });
});

describe('recordScan', () => {
  describe('when the image has several platforms', () => {
    it("decides the image's verdict by its worst platform", async () => {
      const deps = setUp();
      const input = recordInput([
        evaluatedPlatform(),
        failingPlatform({ platform: 'linux/arm64', dataVersion: 'osv-2026-11-29T09:00:00Z' }),
      ]);
      const recorded = await recordScan(input, deps);
      expect(recorded).toEqual({
        decision: 'fail',
        changed: true,
        reasons: ['first scan: fail'],
        newSevereFindings: ['CVE-2026-0001', 'CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
        previousDecision: null,
        summaryKey: 'scans/scan-1/summary.json',
      });
    });

    it('writes a summary of every platform, the trigger and the versions', async () => {
      const deps = setUp();
      const input = recordInput([
        evaluatedPlatform(),
        failingPlatform({ platform: 'linux/arm64', dataVersion: 'osv-2026-11-29T09:00:00Z' }),
      ]);
      await recordScan(input, deps);
      const summary = ScanSummary.parse(deps.objects.json('scans/scan-1/summary.json'));
      expect(summary).toMatchObject({
        scanId: 'scan-1',
        image: input.image,
        trigger: input.trigger,
        decision: 'fail',
        recordedAt: '2026-11-29T10:00:00.000Z',
        previous: null,
        versions: {
          policyDigest: input.platforms[0]!.policy.digest,
          dataVersion: 'osv-2026-11-29T06:00:00Z,osv-2026-11-29T09:00:00Z',
          analyzerSet: 'analyzers-3f9a1c',
        },
      });
      expect(summary.platforms).toEqual(input.platforms);
    });
  });

  it("records the verdict as the digest's and the tag's latest, with what the fleet re-matches", async () => {
    const deps = setUp();
    const input = recordInput([failingPlatform()]);
    await recordScan(input, deps);
    const stored = await deps.verdicts.lastVerdictOf('payments/api', '1.4.2');
    expect(stored).toEqual({
      digest: input.image.digest,
      decision: 'fail',
      scanId: 'scan-1',
      recordedAt: '2026-11-29T10:00:00.000Z',
      severeFindings: ['CVE-2026-0001', 'CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
      policyDigest: input.platforms[0]!.policy.digest,
      dataVersion: 'osv-2026-11-29T06:00:00Z',
      analyzerSet: 'analyzers-3f9a1c',
      platforms: [
        {
          platform: 'linux/amd64',
          manifestDigest: input.platforms[0]!.manifestDigest,
          reportKey: input.platforms[0]!.keys.report,
        },
      ],
    });
    expect(await deps.verdicts.verdictOf(input.image.digest)).toEqual(stored);
  });

  describe('when the verdict changed since the last scan of the tag', () => {
    it('records scan.completed and verdict.changed with the versions that decided', async () => {
      const deps = setUp();
      await deps.verdicts.record(imageTarget(), previous());
      await recordScan(recordInput([failingPlatform()]), deps);
      expect(deps.audit.events).toEqual([
        expect.objectContaining({
          id: 'scan-1:scan.completed',
          type: 'scan.completed',
          time: '2026-11-29T10:00:00.000Z',
          actor: 'aws.ecr:123456789012',
          image: { repository: 'payments/api', digest: imageTarget().digest, tag: '1.4.2' },
          versions: {
            policyDigest: `sha256:${'d'.repeat(64)}`,
            dataVersion: 'osv-2026-11-29T06:00:00Z',
            analyzerSet: 'analyzers-3f9a1c',
          },
        }),
        expect.objectContaining({
          id: 'scan-1:verdict.changed',
          type: 'verdict.changed',
          details: {
            scanId: 'scan-1',
            from: 'pass',
            to: 'fail',
            previousScanId: 'scan-0',
            reasons: [
              'verdict pass → fail',
              '3 new critical/high (CVE-2026-0001, CVE-2026-0002, GHSA-abcd-efgh-ijkl)',
            ],
            newSevereFindings: ['CVE-2026-0001', 'CVE-2026-0002', 'GHSA-abcd-efgh-ijkl'],
          },
        }),
      ]);
    });
  });

  describe('when the last scan of the tag was judged under another policy', () => {
    it('records policy.changed first, from the old digest to the new', async () => {
      const deps = setUp();
      await deps.verdicts.record(imageTarget(), previous({ policyDigest: 'sha256:older' }));
      const recorded = await recordScan(recordInput(), deps);
      expect(recorded).toMatchObject({ changed: false, previousDecision: 'pass' });
      expect(deps.audit.events[0]).toEqual({
        id: 'scan-1:policy.changed',
        type: 'policy.changed',
        time: '2026-11-29T10:00:00.000Z',
        actor: 'aws.ecr:123456789012',
        image: { repository: 'payments/api', digest: imageTarget().digest, tag: '1.4.2' },
        details: {
          scanId: 'scan-1',
          name: 'payments/api:1.4.2',
          policy: 'default',
          from: 'sha256:older',
          to: POLICY_DIGEST,
          previousScanId: 'scan-0',
        },
        versions: {
          policyDigest: POLICY_DIGEST,
          dataVersion: 'osv-2026-11-29T06:00:00Z',
          analyzerSet: 'analyzers-3f9a1c',
        },
      });
      expect(deps.audit.types()).toEqual(['policy.changed', 'scan.completed']);
    });

    it.each([
      ['the same policy', POLICY_DIGEST],
      ['a policy it does not know (an older record)', ''],
    ])('records no policy.changed after %s', async (_what, policyDigest) => {
      const deps = setUp();
      await deps.verdicts.record(imageTarget(), previous({ policyDigest }));
      await recordScan(recordInput(), deps);
      expect(deps.audit.types()).toEqual(['scan.completed']);
    });

    it('records no policy.changed for a first scan', async () => {
      const deps = setUp();
      await recordScan(recordInput(), deps);
      expect(deps.audit.types()).toEqual(['scan.completed']);
    });
  });

  describe('when policy exceptions applied', () => {
    const excepting = (platform: string, rules: string[]) =>
      evaluatedPlatform({
        platform,
        exceptionsUsed: [
          {
            id: 'payments-legacy-root',
            rules,
            note: 'payments-legacy-root: migrating (team-payments)',
          },
        ],
        expiredExceptions: [{ id: 'old-openssl', expires: '2026-10-31' }],
      });

    it('records exception.used once per exception, with the rules and platforms it excepted', async () => {
      const deps = setUp();
      await recordScan(
        recordInput([
          excepting('linux/amd64', ['no-root']),
          excepting('linux/arm64', ['no-root', 'healthcheck']),
        ]),
        deps,
      );
      const used = deps.audit.events.filter((e) => e.type === 'exception.used');
      expect(used).toEqual([
        expect.objectContaining({
          id: 'scan-1:payments-legacy-root:exception.used',
          image: { repository: 'payments/api', digest: imageTarget().digest, tag: '1.4.2' },
          details: {
            scanId: 'scan-1',
            exception: 'payments-legacy-root',
            note: 'payments-legacy-root: migrating (team-payments)',
            rules: ['healthcheck', 'no-root'],
            platforms: ['linux/amd64', 'linux/arm64'],
            decision: 'pass',
          },
          versions: expect.objectContaining({ policyDigest: POLICY_DIGEST }),
        }),
      ]);
    });

    it('records exception.expired once per exception and expiry, naming the scan that noticed it', async () => {
      const deps = setUp();
      await recordScan(recordInput([excepting('linux/amd64', ['no-root'])]), deps);
      await recordScan(
        recordInput([excepting('linux/amd64', ['no-root'])], { scanId: 'scan-2' }),
        deps,
      );
      const expired = deps.audit.events.filter((e) => e.type === 'exception.expired');
      expect(expired).toEqual([
        {
          id: 'exception:old-openssl@2026-10-31:exception.expired',
          type: 'exception.expired',
          time: '2026-11-29T10:00:00.000Z',
          actor: 'aws.ecr:123456789012',
          details: {
            exception: 'old-openssl',
            expires: '2026-10-31',
            policy: 'default',
            noticedBy: { scanId: 'scan-1', name: 'payments/api:1.4.2' },
          },
          versions: expect.objectContaining({ policyDigest: POLICY_DIGEST }),
        },
      ]);
    });

    it('records the events in order: scan.completed, then the exceptions', async () => {
      const deps = setUp();
      await recordScan(recordInput([excepting('linux/amd64', ['no-root'])]), deps);
      expect(deps.audit.types()).toEqual(['scan.completed', 'exception.used', 'exception.expired']);
    });
  });

  describe('when nothing changed since the last scan of the tag', () => {
    it('records scan.completed only and says it did not change', async () => {
      const deps = setUp();
      await deps.verdicts.record(imageTarget(), previous());
      const recorded = await recordScan(recordInput(), deps);
      expect(recorded).toMatchObject({ decision: 'pass', changed: false, reasons: [] });
      expect(deps.audit.types()).toEqual(['scan.completed']);
    });
  });

  describe('when the image is untagged', () => {
    it("compares with the digest's own last verdict", async () => {
      const deps = setUp();
      const image = imageTarget({ tag: undefined });
      await deps.verdicts.record(image, previous({ digest: image.digest, decision: 'fail' }));
      const recorded = await recordScan(recordInput([failingPlatform()], { image }), deps);
      expect(recorded).toMatchObject({ changed: true, reasons: expect.any(Array) });
      expect(recorded.reasons).toEqual([
        '3 new critical/high (CVE-2026-0001, CVE-2026-0002, GHSA-abcd-efgh-ijkl)',
      ]);
    });
  });

  describe('when the step is retried', () => {
    it('answers the same and records each event once', async () => {
      const deps = setUp();
      const input = recordInput([failingPlatform()]);
      const first = await recordScan(input, deps);
      deps.clock.advance(30);
      const second = await recordScan(input, deps);
      expect(second).toEqual(first);
      expect(deps.audit.types()).toEqual(['scan.completed', 'verdict.changed']);
      expect((await deps.verdicts.verdictOf(input.image.digest))!.recordedAt).toBe(
        '2026-11-29T10:00:00.000Z',
      );
    });

    it('still reports the change when the first attempt failed after recording the verdict', async () => {
      const deps = setUp();
      const input = recordInput([failingPlatform()]);
      deps.audit.failNext();
      await expect(recordScan(input, deps)).rejects.toThrow('Rate exceeded');
      expect(deps.verdicts.records).toBe(1);
      const retried = await recordScan(input, deps);
      expect(retried).toMatchObject({ changed: true, reasons: ['first scan: fail'] });
      expect(deps.audit.types()).toEqual(['scan.completed', 'verdict.changed']);
    });

    it('makes a damaged summary again', async () => {
      const deps = setUp();
      await deps.objects.put('scans/scan-1/summary.json', Buffer.from('{"scanId":'));
      const recorded = await recordScan(recordInput(), deps);
      expect(recorded.decision).toBe('pass');
      expect(ScanSummary.safeParse(deps.objects.json('scans/scan-1/summary.json')).success).toBe(
        true,
      );
    });
  });

  it('fails when the verdict store fails, and leaves the retry to the state machine', async () => {
    const deps = setUp();
    deps.verdicts.failNext(throttled());
    await expect(recordScan(recordInput(), deps)).rejects.toThrow('Rate exceeded');
  });
});
