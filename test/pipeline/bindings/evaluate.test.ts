import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { localImageTarget } from '../../../shared/local/image-opener';
import { matchPlatform } from '../../../shared/pipeline/match';
import { EvaluatedPlatform, type EvaluateInput } from '../../../shared/pipeline/states';
import { DEMO_IMAGE, assembleSteps, stepWorld, type StepWorld } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

describe('PIPELINE_STEPS.evaluate', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir());
  });
  afterEach(() => world.vulnerabilities.close());

  async function input(): Promise<EvaluateInput> {
    const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
    const { resolved, assembled } = await assembleSteps(image, world);
    const matched = await matchPlatform(
      { scanId: resolved.scanId, assembled: assembled[0]! },
      world,
    );
    return { scanId: resolved.scanId, image, matched };
  }

  describe('when the platform is matched', () => {
    it('gives the evaluated platform: the output of a ScanPlatforms iteration', async () => {
      const evaluated = await bindStep(PIPELINE_STEPS.evaluate, world)(await input());

      expect(EvaluatedPlatform.parse(evaluated)).toEqual(evaluated);
      expect(evaluated.policy.name).toBe('default');
    });
  });

  it('fails as Clearance.Input when the event is malformed', async () => {
    const event = await input();

    await expect(
      bindStep(
        PIPELINE_STEPS.evaluate,
        world,
      )({ ...event, matched: { ...event.matched, counts: {} } }),
    ).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('Evaluate got a malformed input: matched.counts.critical'),
    });
  });
});
