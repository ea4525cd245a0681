import { failureEvent, verdictEvent } from '../../shared/notify';
import { notify } from '../../shared/notify/notify';
import { failureOf } from '../../shared/pipeline/record-failure';
import { eventSchemaErrors, MemoryEventPublisher } from '../support/events';
import * as scans from '../support/notified-scans';
import { MemoryNotifier } from '../support/pipeline-ports';
import {
  evaluatedPlatform,
  failingPlatform,
  failureInput,
  recordInput,
  recordedScan,
} from '../support/pipeline-scans';

const link = (key: string) => `s3://artifacts/${key}`;

describe('verdictEvent', () => {
  it.each(Object.entries(scans))('is valid against its schema: %s', (_name, scan) => {
    const event = verdictEvent(scan, link);
    expect(event.detailType).toBe('Clearance Scan Verdict');
    expect(eventSchemaErrors(event)).toEqual([]);
  });

  it('says the verdict, image, counts, report and SBOM locations and data version', () => {
    const event = verdictEvent(scans.failingFirstScan, link);
    expect(event.id).toBe('scan-1:verdict-event');
    expect(event.detail).toMatchObject({
      version: '1',
      verdict: 'fail',
      changed: true,
      scanId: 'scan-1',
      image: { repository: 'payments/api', tag: '1.4.2', tags: ['1.4.2'] },
      counts: { critical: 2, high: 1 },
      summary: 's3://artifacts/scans/scan-1/summary.json',
      platforms: [
        expect.objectContaining({
          report: expect.stringMatching(/^s3:\/\/artifacts\/scans\/scan-1\//),
          sbom: {
            cyclonedx: expect.stringMatching(/^s3:\/\//),
            spdx: expect.stringMatching(/^s3:\/\//),
          },
        }),
      ],
      versions: { dataVersion: expect.any(String) },
    });
    expect(event.resources).toContain('arn:aws:ecr:eu-west-1:123456789012:repository/payments/api');
  });

  describe('when the scan had no KEV data', () => {
    it('says null, not 0', () => {
      const event = verdictEvent(recordedScan(recordInput([failingPlatform()])));
      expect(event.detail.kevCount).toBeNull();
      expect(eventSchemaErrors(event)).toEqual([]);
    });
  });

  describe('when every platform had KEV data', () => {
    it('says the most KEV-listed open findings of a platform', () => {
      const scan = recordedScan(
        recordInput([
          failingPlatform({ kev: 2 }),
          evaluatedPlatform({ platform: 'linux/arm64', kev: 0 }),
        ]),
      );
      const event = verdictEvent(scan);
      expect(event.detail.kevCount).toBe(2);
      expect(event.detail.platforms).toEqual([
        expect.objectContaining({ kevCount: 2 }),
        expect.objectContaining({ kevCount: 0 }),
      ]);
      expect(eventSchemaErrors(event)).toEqual([]);
    });

    it('says null when one platform had none', () => {
      const scan = recordedScan(
        recordInput([failingPlatform({ kev: 2 }), evaluatedPlatform({ platform: 'linux/arm64' })]),
      );
      expect(verdictEvent(scan).detail.kevCount).toBeNull();
    });
  });
});

describe('failureEvent', () => {
  it('is valid against its schema', () => {
    const event = failureEvent(failureOf(failureInput()));
    expect(event).toMatchObject({
      id: 'scan-1:failure-event',
      detailType: 'Clearance Scan Failed',
    });
    expect(event.detail).toMatchObject({
      version: '1',
      scanId: 'scan-1',
      error: { name: expect.any(String) },
    });
    expect(eventSchemaErrors(event)).toEqual([]);
  });

  it('is valid for a failure before the scan had an image', () => {
    const event = failureEvent(failureOf({ error: { Error: 'Clearance.Input', Cause: 'bad' } }));
    expect(event.resources).toEqual([]);
    expect(eventSchemaErrors(event)).toEqual([]);
  });
});

describe('notify', () => {
  describe('when events are on', () => {
    it('puts the verdict event and the alert of a changed verdict', async () => {
      const events = new MemoryEventPublisher();
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput([failingPlatform()]));
      const result = await notify({ kind: 'verdict', scan }, { notifier, events });
      expect(result).toMatchObject({ sent: true, published: true });
      expect(events.events.map((e) => e.detailType)).toEqual(['Clearance Scan Verdict']);
    });

    it('puts the event of an unchanged verdict and tells nobody', async () => {
      const events = new MemoryEventPublisher();
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput(), { changed: false, decision: 'pass', reasons: [] });
      const result = await notify({ kind: 'verdict', scan }, { notifier, events });
      expect(result).toMatchObject({ sent: false, published: true });
      expect(notifier.sent).toEqual([]);
      expect(events.events[0]!.detail).toMatchObject({ verdict: 'pass', changed: false });
    });

    it('puts each event once when retried', async () => {
      const events = new MemoryEventPublisher();
      const notifier = new MemoryNotifier();
      const scan = recordedScan(recordInput([failingPlatform()]));
      await notify({ kind: 'verdict', scan }, { notifier, events });
      const again = await notify({ kind: 'verdict', scan }, { notifier, events });
      expect(again).toMatchObject({ sent: false, published: false });
      expect(events.events).toHaveLength(1);
    });

    it('puts the failure event beside the operations message', async () => {
      const events = new MemoryEventPublisher();
      const notifier = new MemoryNotifier();
      await notify({ kind: 'failure', failure: failureOf(failureInput()) }, { notifier, events });
      expect(notifier.sent).toHaveLength(1);
      expect(events.events.map((e) => e.detailType)).toEqual(['Clearance Scan Failed']);
      expect(eventSchemaErrors(events.events[0]!)).toEqual([]);
    });
  });

  describe('when events are off', () => {
    it('says nothing of them', async () => {
      const result = await notify(
        { kind: 'verdict', scan: recordedScan(recordInput()) },
        { notifier: new MemoryNotifier() },
      );
      expect(result).not.toHaveProperty('published');
    });
  });
});
