import { join } from 'node:path';
import { PIPELINE_STEPS } from '../../../shared/handlers/bindings';
import { bindStep } from '../../../shared/pipeline/step-binding';
import { localImageTarget } from '../../../shared/local/image-opener';
import { AnalyzedLayer, type AnalyzeLayerStepInput } from '../../../shared/pipeline/states';
import { buildImage, writeOciLayout } from '../../support/image-builder';
import { TRIGGER, stepWorld, type StepWorld, resolveImageScan } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

describe("PIPELINE_STEPS['analyze-layer']", () => {
  const dir = useTempDir();
  let world: StepWorld;

  beforeEach(async () => {
    world = await stepWorld(dir(), []);
  });
  afterEach(() => world.vulnerabilities.close());

  /** The layers Map's items for an image whose second layer is not a tar. */
  async function items(): Promise<AnalyzeLayerStepInput[]> {
    await writeOciLayout(join(dir(), 'image'), {
      t: await buildImage({
        layers: [
          { files: { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' } },
          { tar: Buffer.from('not a tar at all'), compression: 'none' },
        ],
      }),
    });
    const image = await localImageTarget(`oci:${join(dir(), 'image')}:t`);
    const resolved = await resolveImageScan({ image, trigger: TRIGGER }, world);
    return resolved.platforms[0]!.layers.map((layer) => ({
      image,
      analyzerSet: resolved.analyzerSet,
      layer,
    }));
  }

  describe('when the layer is readable', () => {
    it('gives its report key, cached the second time', async () => {
      const [good] = await items();
      const handler = bindStep(PIPELINE_STEPS['analyze-layer'], world);

      const first = await handler(good);
      expect(AnalyzedLayer.parse(first)).toEqual(first);
      expect(await handler(good)).toEqual({ ...first, cached: true });
    });
  });

  it('reports a corrupt layer, for Assemble to make it a coverage gap', async () => {
    const [, corrupt] = await items();

    await expect(bindStep(PIPELINE_STEPS['analyze-layer'], world)(corrupt)).resolves.toMatchObject({
      layer: corrupt!.layer.digest,
      reportKey: expect.stringContaining('/failed/'),
      cached: false,
    });
  });

  it('fails as Clearance.Input when the event is malformed', async () => {
    const [good] = await items();

    await expect(
      bindStep(
        PIPELINE_STEPS['analyze-layer'],
        world,
      )({ ...good, layer: { ...good!.layer, size: -1 } }),
    ).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('AnalyzeLayer got a malformed input: layer.size'),
    });
  });
});
