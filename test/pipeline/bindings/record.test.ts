import {
  MemoryAuditLog,
  MemoryObjectStore,
  MemoryVerdictStore,
  fixedClock,
  throttled,
} from '../../support/pipeline-ports';
import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { failingPlatform, recordInput } from '../../support/pipeline-scans';

function setUp() {
  const deps = {
    objects: new MemoryObjectStore(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    clock: fixedClock(),
  };
  return { deps, handle: bindStep(PIPELINE_STEPS.record, deps) };
}

describe('PIPELINE_STEPS.record', () => {
  it("records the state's verdict and returns it for $.record", async () => {
    const { deps, handle } = setUp();
    expect(await handle(recordInput([failingPlatform()]))).toMatchObject({
      decision: 'fail',
      changed: true,
      summaryKey: 'scans/scan-1/summary.json',
    });
    expect(deps.verdicts.byDigest.size).toBe(1);
  });

  it('ignores what else the state carries', async () => {
    const { handle } = setUp();
    const state = { ...recordInput(), error: undefined, extra: { anything: true } };
    expect(await handle(state)).toMatchObject({ decision: 'pass' });
  });

  it('fails as Clearance.Input when the state is not a RecordInput', async () => {
    const { deps, handle } = setUp();
    await expect(handle({ ...recordInput(), platforms: [] })).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('platforms'),
    });
    expect(deps.objects.objects.size).toBe(0);
  });

  it('fails as Clearance.Transient when a store is throttled, so that it is retried', async () => {
    const { deps, handle } = setUp();
    deps.verdicts.failNext(throttled());
    await expect(handle(recordInput())).rejects.toMatchObject({ name: 'Clearance.Transient' });
  });
});
