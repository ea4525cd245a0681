import { SUMMARIZE_STEP } from '../../shared/fleet/summarize';
import { bindStep } from '../../shared/pipeline/step-binding';
import { DirectoryObjectStore } from '../../shared/objects';
import { FakeNotifier } from '../support/fleet-ports';
import { writeMapRun } from '../support/map-run';
import { useTempDir } from '../support/temp';

const NOW = new Date('2026-01-02T04:00:00Z');

describe('SUMMARIZE_STEP', () => {
  const dir = useTempDir();

  function setUp() {
    const store = new DirectoryObjectStore(dir());
    const notifier = new FakeNotifier();
    return {
      store,
      notifier,
      handle: bindStep(SUMMARIZE_STEP, { store, notifier, clock: () => NOW }),
    };
  }

  it('summarizes the map run the state names and publishes one digest', async () => {
    const { store, notifier, handle } = setUp();
    const manifestKey = await writeMapRun(store, 'fleet/exec-1/results', []);
    expect(await handle({ runId: 'exec-1', manifestKey, MapRunArn: 'ignored' })).toMatchObject({
      runId: 'exec-1',
      summaryKey: 'fleet/exec-1/summary.json',
      notified: true,
      images: 0,
    });
    expect(notifier.published.map((n) => n.id)).toEqual(['fleet-exec-1']);
  });

  it('fails as Clearance.Input without the manifest key', async () => {
    await expect(setUp().handle({ runId: 'exec-1' })).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('manifestKey') as unknown,
    });
  });

  it('fails as Clearance.Input when there is no manifest at the key, naming the code', async () => {
    await expect(
      setUp().handle({ runId: 'exec-1', manifestKey: 'fleet/exec-1/results/x/manifest.json' }),
    ).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringMatching(/^FLEET_RESULTS_MALFORMED: /) as unknown,
    });
  });
});
