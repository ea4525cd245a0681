import {
  MemoryAuditLog,
  MemoryNotifier,
  MemoryObjectStore,
  MemoryRegistryWriter,
  MemoryVerdictStore,
  fixedClock,
} from '../../support/pipeline-ports';
import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { failingPlatform, failureInput, recordInput } from '../../support/pipeline-scans';

function setUp() {
  const notifier = new MemoryNotifier();
  const common = {
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    clock: fixedClock(),
  };
  return {
    notifier,
    record: bindStep(PIPELINE_STEPS.record, { ...common, objects: new MemoryObjectStore() }),
    quarantine: bindStep(PIPELINE_STEPS.quarantine, {
      ...common,
      registry: new MemoryRegistryWriter(),
      mode: 'record',
      windowSeconds: 300,
    }),
    recordFailure: bindStep(PIPELINE_STEPS['record-failure'], common),
    notify: bindStep(PIPELINE_STEPS.notify, { notifier, link: (key) => `s3://artifacts/${key}` }),
  };
}

describe('PIPELINE_STEPS.notify', () => {
  describe('when Notify follows Record and Quarantine', () => {
    it('reads the state as ScanImage passes it and alerts once', async () => {
      const steps = setUp();
      // ResultPath $.record, then $.quarantine, then Parameters {kind: "verdict", scan.$: "$"}.
      const input = recordInput([failingPlatform()]);
      const recorded = { ...input, record: await steps.record(input) };
      const state = { ...recorded, quarantine: await steps.quarantine(recorded) };
      const result = await steps.notify({ kind: 'verdict', scan: state });
      expect(result).toEqual({ id: 'scan-1:verdict', topic: 'alerts', sent: true });
      expect(steps.notifier.sent[0]!.body).toContain('Quarantined: recorded as blocked.');
      expect(steps.notifier.sent[0]!.attributes).toMatchObject({ verdict: 'fail' });
      expect((await steps.notify({ kind: 'verdict', scan: state })).sent).toBe(false);
    });
  });

  describe('when NotifyOperations follows RecordFailure', () => {
    it('tells operations of the failure', async () => {
      const steps = setUp();
      // ResultPath $.failure, then Parameters {kind: "failure", failure.$: "$.failure"}.
      const failure = await steps.recordFailure(failureInput({ scanId: undefined }));
      const result = await steps.notify({ kind: 'failure', failure });
      expect(result).toMatchObject({ topic: 'operations', sent: true });
      expect(steps.notifier.sent[0]!.attributes).toMatchObject({ eventType: 'scan.failed' });
    });
  });

  it('fails as Clearance.Input when the kind is unknown', async () => {
    const steps = setUp();
    await expect(steps.notify({ kind: 'digest' })).rejects.toMatchObject({
      name: 'Clearance.Input',
    });
    expect(steps.notifier.sent).toEqual([]);
  });
});
