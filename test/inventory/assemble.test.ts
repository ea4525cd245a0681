import { analyzeImage, type Analyzer } from '../../shared/analyzers';
import { MAX_FILE_PROBLEMS } from '../../shared/analyzers/run';
import { resolveImage } from '../../shared/image';
import { assembleInventory } from '../../shared/inventory';
import { MAX_LAYER_PROBLEMS } from '../../shared/layers';
import { openImageSource } from '../../shared/sources';
import { buildImage, writeOciLayout } from '../support/image-builder';
import { repeatedEntryTar, STACK_BREAKING_COUNT } from '../support/problem-layers';
import { useTempDir } from '../support/temp';

const TODAY = new Date('2026-11-29T00:00:00Z');

/** An analyser that finds `count` problems in every `broken.txt`. */
function complaining(count: number): Analyzer {
  return {
    name: 'complaining',
    version: 1,
    wants: (path) => path.endsWith('broken.txt'),
    analyze: () =>
      Promise.resolve({
        problems: Array.from({ length: count }, (_, i) => ({ reason: `bad ${i}` })),
      }),
  };
}

describe('assembleInventory', () => {
  const dir = useTempDir();

  async function inventoryOf(tar: Buffer, analyzers: readonly Analyzer[] = []) {
    await writeOciLayout(dir(), { v1: await buildImage({ layers: [{ tar }] }) });
    const source = openImageSource(`oci:${dir()}:v1`);
    const [image] = (await resolveImage(source)).manifests;
    const analyzed = await analyzeImage(source, image!, analyzers);
    return {
      layer: image!.layers[0]!.descriptor.digest,
      inventory: assembleInventory(analyzed, { today: TODAY }),
    };
  }

  describe('when a layer has hundreds of thousands of problems', () => {
    it('lists the first ones and says how many more there are, without overflowing the stack', async () => {
      const tar = repeatedEntryTar(
        { name: 'hardlink', type: '1', linkname: '../../nowhere' },
        STACK_BREAKING_COUNT,
      );
      const { layer, inventory } = await inventoryOf(tar);
      expect(inventory.problems).toHaveLength(MAX_LAYER_PROBLEMS + 1);
      expect(inventory.problems[0]).toMatchObject({ layer, path: 'hardlink' });
      expect(inventory.problems.at(-1)).toEqual({
        layer,
        reason: `… and ${STACK_BREAKING_COUNT - MAX_LAYER_PROBLEMS} more problems in this layer`,
      });
    });
  });

  describe('when an analyser finds more problems in a file than MAX_FILE_PROBLEMS', () => {
    it('keeps the first ones and one line counting the others', async () => {
      const tar = repeatedEntryTar({ name: 'etc/broken.txt', body: 'x' }, 1);
      const { inventory } = await inventoryOf(tar, [complaining(MAX_FILE_PROBLEMS + 50)]);
      expect(inventory.problems).toHaveLength(MAX_FILE_PROBLEMS + 1);
      expect(inventory.problems.at(-1)).toMatchObject({
        path: 'etc/broken.txt',
        reason: 'complaining: … and 50 more problems in this file',
      });
    });
  });

  describe('when a layer repeats one wanted path many times', () => {
    it('lists the first problems of the layer and counts the others, in time linear in the repeats', async () => {
      const tar = repeatedEntryTar({ name: 'etc/broken.txt', body: 'x' }, 20_000);
      const started = Date.now();
      const { layer, inventory } = await inventoryOf(tar, [complaining(1)]);
      expect(inventory.problems).toHaveLength(MAX_LAYER_PROBLEMS + 1);
      expect(inventory.problems.at(-1)).toEqual({
        layer,
        reason: `… and ${20_000 - MAX_LAYER_PROBLEMS} more problems found by the analysers in this layer`,
      });
      expect(Date.now() - started).toBeLessThan(20_000);
    });
  });
});
