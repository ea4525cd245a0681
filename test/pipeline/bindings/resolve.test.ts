import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { localImageTarget } from '../../../shared/local/image-opener';
import { ResolvedScan } from '../../../shared/pipeline/states';
import { DEMO_IMAGE, TRIGGER, stepWorld, type StepWorld } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

describe('PIPELINE_STEPS.resolve', () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir(), []);
  });
  afterEach(() => world.vulnerabilities.close());

  describe('when the event is a ScanImageInput', () => {
    it('gives the resolved scan', async () => {
      const image = await localImageTarget(`oci:${DEMO_IMAGE}:latest`);
      const resolved = await bindStep(PIPELINE_STEPS.resolve, world)({ image, trigger: TRIGGER });

      expect(ResolvedScan.parse(resolved)).toEqual(resolved);
      expect(ResolvedScan.parse(resolved).platforms).toHaveLength(2);
    });
  });

  it('fails as Clearance.Input when the event is malformed, naming the fields', async () => {
    const failure = bindStep(
      PIPELINE_STEPS.resolve,
      world,
    )({ image: { registry: 'x' }, trigger: TRIGGER });

    await expect(failure).rejects.toMatchObject({ name: 'Clearance.Input' });
    await expect(failure).rejects.toThrow(
      /MALFORMED_INPUT: Resolve got a malformed input: image\.repository: .*image\.digest/,
    );
  });

  it('fails as Clearance.Input when the digest is not in the repository', async () => {
    const image = {
      registry: `oci:${DEMO_IMAGE}`,
      repository: 'demo-image',
      digest: `sha256:${'0'.repeat(64)}`,
    };

    await expect(
      bindStep(PIPELINE_STEPS.resolve, world)({ image, trigger: TRIGGER }),
    ).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringMatching(/^IMAGE_NOT_FOUND: sha256:0+ is not in repository demo-image/),
    });
  });
});
