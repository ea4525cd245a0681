import { join } from 'node:path';
import { analyzeLayerHandler } from '../../../functions/analyze-layer/handler';
import { localImageTarget } from '../../../shared/pipeline/local/image-opener';
import { resolveScan } from '../../../shared/pipeline/resolve';
import { AnalyzedLayer, type AnalyzeLayerStepInput } from '../../../shared/pipeline/steps';
import { buildImage, writeOciLayout } from '../../support/image-builder';
import { TRIGGER, stepWorld, type StepWorld } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

describe('analyzeLayerHandler', () => {
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
    const resolved = await resolveScan({ image, trigger: TRIGGER }, world);
    return resolved.platforms[0]!.layers.map((layer) => ({
      image,
      analyzerSet: resolved.analyzerSet,
      layer,
    }));
  }

  describe('when the layer is readable', () => {
    it('gives its report key, cached the second time', async () => {
      const [good] = await items();
      const handler = analyzeLayerHandler(world);

      const first = await handler(good);
      expect(AnalyzedLayer.parse(first)).toEqual(first);
      expect(await handler(good)).toEqual({ ...first, cached: true });
    });
  });

  it('fails as Clearance.Input when the layer is corrupt, naming it', async () => {
    const [, corrupt] = await items();

    await expect(analyzeLayerHandler(world)(corrupt)).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining(`LAYER_UNREADABLE: `),
    });
    await expect(analyzeLayerHandler(world)(corrupt)).rejects.toThrow(corrupt!.layer.digest);
  });

  it('fails as Clearance.Input when the event is malformed', async () => {
    const [good] = await items();

    await expect(
      analyzeLayerHandler(world)({ ...good, layer: { ...good!.layer, size: -1 } }),
    ).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('AnalyzeLayer got a malformed input: layer.size'),
    });
  });
});
