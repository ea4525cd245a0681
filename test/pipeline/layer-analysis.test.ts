import type { Readable } from 'node:stream';
import { ANALYZERS, analyzeImage } from '../../shared/analyzers';
import type { Descriptor } from '../../shared/image/manifest';
import { resolveImage } from '../../shared/image/resolve';
import type { ImageSource } from '../../shared/image/source';
import { assembleInventory } from '../../shared/inventory/assemble';
import { DirectoryObjectStore } from '../../shared/objects';
import {
  analyzeLayerCached,
  analyzedFrom,
  analyzerSetVersion,
  layerReportKey,
} from '../../shared/pipeline';
import { openImageSource } from '../../shared/sources';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { useTempDir } from '../support/temp';

const TODAY = new Date('2026-11-29T00:00:00Z');
const STATUS = (version: string) =>
  `Package: curl\nStatus: install ok installed\nArchitecture: amd64\nVersion: ${version}\n`;
const LAYERS: LayerSpec[] = [
  {
    files: {
      'etc/os-release': 'ID=debian\nVERSION_ID="12"\n',
      'var/lib/dpkg/status': STATUS('7.88.1-10'),
    },
  },
  {
    files: {
      'var/lib/dpkg/status': STATUS('7.88.1-10+deb12u8'),
      'app/package.json': '{"name":"app","version":"1.0.0"}',
    },
  },
  { files: { 'app/.wh.package.json': '' } },
];

/** The source, counting the blobs it is asked for. */
function counting(source: ImageSource): ImageSource & { readonly reads: Descriptor[] } {
  const reads: Descriptor[] = [];
  return {
    reference: source.reference,
    reads,
    resolveRoot: () => source.resolveRoot(),
    fetchManifest: (d) => source.fetchManifest(d),
    openBlob: (d): Promise<Readable> => {
      reads.push(d);
      return source.openBlob(d);
    },
    close: () => source.close(),
  };
}

describe('analyzeLayerCached', () => {
  const dir = useTempDir();

  async function setUp(layers = LAYERS) {
    await writeOciLayout(`${dir()}/image`, { t: await buildImage({ layers }) });
    const source = counting(openImageSource(`oci:${dir()}/image:t`));
    const [image] = (await resolveImage(source)).manifests;
    source.reads.length = 0; // the config, read to resolve the image
    return { source, image: image!, store: new DirectoryObjectStore(`${dir()}/store`) };
  }

  it('puts back together exactly what analysing the whole image gives', async () => {
    const { source, image, store } = await setUp();
    const reports = [];
    for (const layer of image.layers)
      reports.push(
        (await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store })).report,
      );
    const whole = await analyzeImage(source, image, ANALYZERS);
    const parts = analyzedFrom(image.layers, reports);
    expect(assembleInventory(parts, { today: TODAY })).toEqual(
      assembleInventory(whole, { today: TODAY }),
    );
    expect(parts.analyses).toEqual(whole.analyses);
  });

  it('reads a layer once: the second time its report comes from the store', async () => {
    const { source, image, store } = await setUp();
    const layer = image.layers[0]!;
    const first = await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store });
    const second = await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store });
    expect([first.cached, second.cached]).toEqual([false, true]);
    expect(second.report).toEqual(first.report);
    expect(source.reads.map((d) => d.digest)).toEqual([layer.descriptor.digest]);
  });

  it('reads the layer again for another set of analysers', async () => {
    const { source, image, store } = await setUp();
    const layer = image.layers[0]!;
    await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store });
    const fewer = ANALYZERS.slice(1);
    expect(analyzerSetVersion(fewer)).not.toBe(analyzerSetVersion(ANALYZERS));
    expect((await analyzeLayerCached({ source, layer, analyzers: fewer, store })).cached).toBe(
      false,
    );
  });

  it('makes a damaged stored report again, and replaces it', async () => {
    const { source, image, store } = await setUp();
    const layer = image.layers[0]!;
    const key = layerReportKey(layer, analyzerSetVersion(ANALYZERS));
    await store.put(key, Buffer.from('not gzip'));
    const again = await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store });
    expect(again.cached).toBe(false);
    expect(again.report.result.ok).toBe(true);
    expect((await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store })).cached).toBe(
      true,
    );
  });

  it('reports a corrupt layer without storing the report, so that it is read again next time', async () => {
    const { source, image, store } = await setUp([
      { tar: Buffer.from('not a tar at all'), compression: 'none' },
    ]);
    const layer = image.layers[0]!;
    const { report } = await analyzeLayerCached({ source, layer, analyzers: ANALYZERS, store });
    expect(report.result).toMatchObject({ ok: false, error: { code: expect.any(String) } });
    expect(await store.get(layerReportKey(layer, analyzerSetVersion(ANALYZERS)))).toBeUndefined();
    const [restored] = analyzedFrom([layer], [report]).layers;
    expect(restored).toMatchObject({ ok: false, error: { layer: layer.descriptor.digest } });
  });
});
