import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { localImageTarget } from '../../../shared/local/image-opener';
import { AssembledPlatform, type AssembleInput } from '../../../shared/pipeline/states';
import { DEMO_IMAGE, assembleInputs, stepWorld, type StepWorld } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

describe('PIPELINE_STEPS.assemble', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir(), []);
  });
  afterEach(() => world.vulnerabilities.close());

  /** Assemble's effective input, as the ScanPlatforms iteration passes it. */
  async function input(): Promise<AssembleInput> {
    const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
    return (await assembleInputs(image, world)).inputs[0]!;
  }

  describe('when every layer has its report', () => {
    it('gives the assembled platform', async () => {
      const assembled = await bindStep(PIPELINE_STEPS.assemble, world)(await input());

      expect(AssembledPlatform.parse(assembled)).toEqual(assembled);
      expect(await world.store.get(assembled.keys.cyclonedx)).toBeDefined();
    });
  });

  it('fails as Clearance.Bug when a layer report is gone', async () => {
    const event = await input();
    const layers = event.layers.map((l) => ({ ...l, reportKey: `${l.reportKey}.gone` }));

    await expect(
      bindStep(PIPELINE_STEPS.assemble, world)({ ...event, layers }),
    ).rejects.toMatchObject({
      name: 'Clearance.Bug',
      message: expect.stringContaining('MISSING_OBJECT: expected the report of layer'),
    });
  });

  it('fails as Clearance.Input when the event is malformed', async () => {
    const { platform: _platform, ...event } = await input();

    await expect(bindStep(PIPELINE_STEPS.assemble, world)(event)).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('Assemble got a malformed input: platform'),
    });
  });
});
