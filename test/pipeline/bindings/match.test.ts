import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { localImageTarget } from '../../../shared/local/image-opener';
import { MatchedPlatform } from '../../../shared/pipeline/states';
import { DEMO_IMAGE, assembleSteps, stepWorld, type StepWorld } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

describe('PIPELINE_STEPS.match', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir());
  });
  afterEach(() => world.vulnerabilities.close());

  describe('when the platform is assembled', () => {
    it('gives the matched platform with its counts and data version', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const { resolved, assembled } = await assembleSteps(image, world);

      const matched = await bindStep(
        PIPELINE_STEPS.match,
        world,
      )({
        scanId: resolved.scanId,
        assembled: assembled[0],
      });
      expect(MatchedPlatform.parse(matched)).toEqual(matched);
      expect(matched.dataVersion).toBe((await world.vulnerabilities.dataVersion()).contentHash);
    });
  });

  it('fails as Clearance.Bug when the report is not in the store', async () => {
    const event = {
      scanId: 'none',
      assembled: {
        platform: 'linux/amd64',
        manifestDigest: `sha256:${'1'.repeat(64)}`,
        keys: { report: 'scans/none/report.json', cyclonedx: 'c.json', spdx: 's.json' },
        packages: 0,
      },
    };

    await expect(bindStep(PIPELINE_STEPS.match, world)(event)).rejects.toMatchObject({
      name: 'Clearance.Bug',
      message: expect.stringContaining('MISSING_OBJECT: expected a scan report'),
    });
  });

  it('fails as Clearance.Input when the event is malformed', async () => {
    await expect(bindStep(PIPELINE_STEPS.match, world)({ scanId: 'x' })).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('Match got a malformed input: assembled'),
    });
  });
});
