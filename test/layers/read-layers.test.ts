import { join } from 'node:path';
import { resolveImage } from '../../shared/image';
import { readLayers, type LayerProgress } from '../../shared/layers';
import { openImageSource } from '../../shared/sources';

const DEMO = `oci:${join(__dirname, '..', '..', 'examples', 'demo-image')}:latest`;

describe('readLayers', () => {
  describe('when asked for progress', () => {
    it('tells each layer from 0 bytes up to its compressed size, in layer order', async () => {
      const source = openImageSource(DEMO, { env: {} });
      try {
        const image = (await resolveImage(source, {})).manifests[0]!;
        const told: LayerProgress[] = [];
        const results = await readLayers(source, image, { onProgress: (p) => told.push(p) });
        expect(results.every((r) => r.ok)).toBe(true);
        for (const [index, layer] of image.layers.entries()) {
          const mine = told.filter((p) => p.index === index);
          const { digest, size } = layer.descriptor;
          expect(mine[0]).toEqual({
            layer: digest,
            index,
            count: image.layers.length,
            bytesRead: 0,
            size,
          });
          expect(mine.at(-1)?.bytesRead).toBe(size);
        }
        expect(told.map((p) => p.index)).toEqual([...told.map((p) => p.index)].sort());
      } finally {
        await source.close();
      }
    });
  });
});
