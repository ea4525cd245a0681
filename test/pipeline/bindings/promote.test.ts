import {
  MemoryAuditLog,
  MemoryRegistryWriter,
  MemoryVerdictStore,
  fixedClock,
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
    target: { repository: 'release/api', tagPattern: '{tag}', windowSeconds: 300 },
  };
  return { deps, handle: bindStep(PIPELINE_STEPS.promote, deps) };
}

describe('PIPELINE_STEPS.promote', () => {
  it('promotes the recorded scan and returns what it did for $.promotion', async () => {
    const { deps, handle } = setUp();
    expect(await handle(recordedScan(recordInput()))).toEqual({
      promoted: true,
      repository: 'release/api',
      tag: '1.4.2',
    });
    expect(deps.registry.tags.has('release/api:1.4.2')).toBe(true);
  });

  it('fails as Clearance.Input when the state has no record', async () => {
    const { handle } = setUp();
    await expect(handle(recordInput())).rejects.toMatchObject({ name: 'Clearance.Input' });
  });

  it('fails as Clearance.Bug when the verdict is fail (Decide should not have come here)', async () => {
    const { handle } = setUp();
    await expect(handle(recordedScan(recordInput([failingPlatform()])))).rejects.toMatchObject({
      name: 'Clearance.Bug',
    });
  });
});
