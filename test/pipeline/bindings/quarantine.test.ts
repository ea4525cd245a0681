import {
  MemoryAuditLog,
  MemoryRegistryWriter,
  MemoryVerdictStore,
  fixedClock,
  throttled,
} from '../../support/pipeline-ports';
import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { failingPlatform, recordInput, recordedScan } from '../../support/pipeline-scans';

function setUp() {
  const deps = {
    registry: new MemoryRegistryWriter(),
    verdicts: new MemoryVerdictStore(),
    audit: new MemoryAuditLog(),
    clock: fixedClock(),
    mode: 'tag' as const,
    windowSeconds: 300,
  };
  return { deps, handle: bindStep(PIPELINE_STEPS.quarantine, deps) };
}

describe('PIPELINE_STEPS.quarantine', () => {
  it('quarantines the recorded scan and returns what it did for $.quarantine', async () => {
    const { handle } = setUp();
    expect(await handle(recordedScan(recordInput([failingPlatform()])))).toMatchObject({
      mode: 'tag',
      tag: 'quarantine-7f5b2640fe6f',
    });
  });

  it('fails as Clearance.Transient when the registry is throttled', async () => {
    const { deps, handle } = setUp();
    deps.registry.failNext(throttled());
    await expect(handle(recordedScan(recordInput([failingPlatform()])))).rejects.toMatchObject({
      name: 'Clearance.Transient',
    });
  });

  it('fails as Clearance.Input when the state is not a recorded scan', async () => {
    const { handle } = setUp();
    await expect(handle({ record: { decision: 'fail' } })).rejects.toMatchObject({
      name: 'Clearance.Input',
    });
  });
});
