import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { RecordedFailure } from '../../../shared/pipeline/record-failure';
import { MemoryAuditLog, fixedClock, throttled } from '../../support/pipeline-ports';
import { failureInput, recordInput } from '../../support/pipeline-scans';

function setUp() {
  const deps = { audit: new MemoryAuditLog(), clock: fixedClock() };
  return { deps, handle: bindStep(PIPELINE_STEPS['record-failure'], deps) };
}

describe("PIPELINE_STEPS['record-failure']", () => {
  describe('when the Catch hands on the whole state', () => {
    it('records scan.failed and returns the failure for $.failure', async () => {
      const { deps, handle } = setUp();
      // After ScanPlatforms failed: the resolved scan with the error at $.error.
      const state = {
        ...recordInput(),
        platforms: [{ platform: 'linux/amd64' }],
        ...failureInput(),
      };
      const failure = await handle(state);
      expect(RecordedFailure.parse(failure)).toEqual(failure);
      expect(failure).toMatchObject({ id: 'scan-1', scanId: 'scan-1' });
      expect(deps.audit.types()).toEqual(['scan.failed']);
    });
  });

  describe('when the input is partial', () => {
    it.each([
      ['a failure in Resolve (no scan id)', failureInput({ scanId: undefined })],
      [
        'an execution input that was not one',
        { image: 'nope', error: { Error: 'Clearance.Input' } },
      ],
      ['nothing at all', undefined],
    ])('does not throw on %s', async (_, input) => {
      const { deps, handle } = setUp();
      await expect(handle(input)).resolves.toMatchObject({ id: expect.any(String) });
      expect(deps.audit.types()).toEqual(['scan.failed']);
    });
  });

  it('fails as Clearance.Transient when the audit log is throttled', async () => {
    const { deps, handle } = setUp();
    deps.audit.failNext(throttled());
    await expect(handle(failureInput())).rejects.toMatchObject({ name: 'Clearance.Transient' });
  });
});
