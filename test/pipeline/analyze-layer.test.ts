import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { Readable } from 'node:stream';
import type { Descriptor } from '../../shared/image/manifest';
import type { ImageSource } from '../../shared/image/source';
import { MediaType } from '../../shared/image/media-types';
import { layerReportKey } from '../../shared/pipeline/layer-analysis';
import { analyzeLayerStep, failedReportKey, layerRefOf } from '../../shared/pipeline/analyze-layer';
import { parseLayerReport } from '../../shared/pipeline/layer-report';
import { DirectoryObjectStore } from '../../shared/objects/object-store';
import { LocalImageOpener, localImageTarget } from '../../shared/local/image-opener';
import type { ImageOpener } from '../../shared/pipeline/ports';
import { pipelineScan } from '../../shared/pipeline/scan-set';
import type { ImageTarget, LayerDescriptor } from '../../shared/pipeline/states';
import { RegistryUnavailableError } from '../../shared/registry/errors';
import { buildImage, writeOciLayout, type LayerSpec } from '../support/image-builder';
import { MemoryAuditLog, MemoryVerdictStore } from '../support/pipeline-ports';
import { TODAY, TRIGGER, resolveImageScan } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

const GOOD: LayerSpec = { files: { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' } };
const OTHER: LayerSpec = { files: { 'app/package.json': '{"name":"app","version":"1.0.0"}' } };

/** An opener whose sources count the blobs read, or fail every blob read with `failure`. */
class CountingOpener implements ImageOpener {
  readonly reads: string[] = [];
  private readonly local = new LocalImageOpener();

  constructor(private readonly failure?: () => Error) {}

  async open(image: ImageTarget): Promise<ImageSource> {
    const source = await this.local.open(image);
    return {
      reference: source.reference,
      resolveRoot: () => source.resolveRoot(),
      fetchManifest: (d) => source.fetchManifest(d),
      openBlob: (d: Descriptor): Promise<Readable> => {
        this.reads.push(d.digest);
        return this.failure ? Promise.reject(this.failure()) : source.openBlob(d);
      },
      close: () => source.close(),
    };
  }
}

describe('analyzeLayerStep', () => {
  const dir = useTempDir();
  const store = () => new DirectoryObjectStore(join(dir(), 'objects'));
  const analyzerSet = pipelineScan().analyzerSet;

  async function image(
    layers: LayerSpec[],
  ): Promise<{ image: ImageTarget; layers: LayerDescriptor[] }> {
    await writeOciLayout(join(dir(), 'image'), { t: await buildImage({ layers }) });
    const target = await localImageTarget(`oci:${join(dir(), 'image')}:t`);
    const deps = {
      store: store(),
      opener: new LocalImageOpener(),
      clock: () => TODAY,
      audit: new MemoryAuditLog(),
      verdicts: new MemoryVerdictStore(),
    };
    const resolved = await resolveImageScan({ image: target, trigger: TRIGGER }, deps);
    return { image: target, layers: resolved.platforms[0]!.layers };
  }

  describe('when the layer is readable', () => {
    it('stores its report under the scan set and gives its key', async () => {
      const { image: target, layers } = await image([GOOD]);
      const layer = layers[0]!;
      const opener = new CountingOpener();

      const analyzed = await analyzeLayerStep(
        { image: target, analyzerSet, layer },
        { store: store(), opener },
      );

      expect(analyzed).toEqual({
        layer: layer.digest,
        reportKey: layerReportKey(layerRefOf(layer), analyzerSet),
        cached: false,
      });
      expect(analyzed.reportKey).toBe(
        `layer-reports/${analyzerSet}/sha256/${layer.digest.slice(7)}.json.gz`,
      );
      expect(await store().get(analyzed.reportKey)).toBeDefined();
    });

    it('takes the report from the store the second time, without reading the blob', async () => {
      const { image: target, layers } = await image([GOOD]);
      const opener = new CountingOpener();
      const input = { image: target, analyzerSet, layer: layers[0]! };

      const first = await analyzeLayerStep(input, { store: store(), opener });
      const second = await analyzeLayerStep(input, { store: store(), opener });

      expect([first.cached, second.cached]).toEqual([false, true]);
      expect(second.reportKey).toBe(first.reportKey);
      expect(opener.reads).toEqual([layers[0]!.digest]);
    });
  });

  describe('when a layer is corrupt', () => {
    it.each<[string, LayerSpec]>([
      ['a bad tar', { tar: Buffer.from('not a tar at all'), compression: 'none' }],
      [
        'bad compression',
        {
          tar: Buffer.from('not gzip at all'),
          compression: 'none',
          mediaType: MediaType.ociLayerGzip,
        },
      ],
    ])(
      'reports it (%s) beside the cache, not in it, and leaves the reports of the other layers',
      async (_what, corrupt) => {
        const { image: target, layers } = await image([GOOD, corrupt, OTHER]);
        const deps = { store: store(), opener: new LocalImageOpener() };
        const run = (layer: LayerDescriptor) =>
          analyzeLayerStep({ image: target, analyzerSet, layer }, deps);

        const good = [await run(layers[0]!), await run(layers[2]!)];
        const failed = await run(layers[1]!);

        expect(failed).toEqual({
          layer: layers[1]!.digest,
          reportKey: failedReportKey(layerRefOf(layers[1]!), analyzerSet),
          cached: false,
        });
        const report = parseLayerReport(
          gunzipSync((await store().get(failed.reportKey))!),
          layers[1]!.digest,
          analyzerSet,
        );
        expect(report.result).toMatchObject({
          ok: false,
          error: { kind: 'input', code: expect.stringMatching(/^CORRUPT_(TAR|COMPRESSION)$/) },
        });
        for (const analyzed of good) expect(await store().get(analyzed.reportKey)).toBeDefined();
        expect(
          await store().get(layerReportKey(layerRefOf(layers[1]!), analyzerSet)),
        ).toBeUndefined();
      },
    );

    it('reports a blob that is not what its digest says as BLOB_MISMATCH, for Assemble to name unverified', async () => {
      const { image: target, layers } = await image([GOOD]);
      const layer = layers[0]!;
      await writeFile(join(dir(), 'image', 'blobs', 'sha256', layer.digest.slice(7)), 'other');

      const failed = await analyzeLayerStep(
        { image: target, analyzerSet, layer },
        { store: store(), opener: new LocalImageOpener() },
      );
      const report = parseLayerReport(
        gunzipSync((await store().get(failed.reportKey))!),
        layer.digest,
        analyzerSet,
      );
      expect(report.result).toMatchObject({ ok: false, error: { code: 'BLOB_MISMATCH' } });
    });
  });

  it('fails LAYER_UNREADABLE of kind transient when the registry is unavailable', async () => {
    const { image: target, layers } = await image([GOOD]);
    const unavailable = () =>
      new RegistryUnavailableError(
        { registry: '127.0.0.1:5000', repository: 'app', object: 'blob' },
        3,
        'HTTP 503',
      );

    await expect(
      analyzeLayerStep(
        { image: target, analyzerSet, layer: layers[0]! },
        { store: store(), opener: new CountingOpener(unavailable) },
      ),
    ).rejects.toMatchObject({ code: 'LAYER_UNREADABLE', kind: 'transient' });
  });

  it('fails as input when the scan was resolved with another scan set', async () => {
    const { image: target, layers } = await image([GOOD]);

    await expect(
      analyzeLayerStep(
        { image: target, analyzerSet: 'another', layer: layers[0]! },
        { store: store(), opener: new LocalImageOpener() },
      ),
    ).rejects.toMatchObject({
      code: 'MALFORMED_INPUT',
      kind: 'input',
      message: expect.stringContaining(`expected analyzerSet ${analyzerSet}, got another`),
    });
  });
});
