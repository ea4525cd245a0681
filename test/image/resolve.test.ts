import { resolveImage, type ResolvedImage } from '../../shared/image';
import { openImageSource } from '../../shared/sources';
import { buildImage, buildIndex, writeOciLayout } from '../support/image-builder';
import { rejection } from '../support/read';
import { useTempDir } from '../support/temp';

describe('resolveImage', () => {
  const dir = useTempDir();

  async function multiPlatform(): Promise<string> {
    const amd64 = await buildImage({
      layers: [{ files: { a: 'amd64' } }],
      platform: { os: 'linux', architecture: 'amd64' },
    });
    const arm64 = await buildImage({
      layers: [{ files: { a: 'arm64' }, compression: 'zstd' }],
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    await writeOciLayout(dir(), { multi: await buildIndex([amd64, arm64], { attestation: true }) });
    return `oci:${dir()}:multi`;
  }

  const platforms = (image: ResolvedImage) => image.manifests.map((m) => m.platform);

  describe('when the reference names an index', () => {
    it('resolves every platform and skips attestation manifests', async () => {
      const image = await resolveImage(openImageSource(await multiPlatform()));
      expect(image.mediaType).toBe('application/vnd.oci.image.index.v1+json');
      expect(platforms(image)).toEqual(['linux/amd64', 'linux/arm64/v8']);
      expect(image.manifests[1]!.layers[0]!.descriptor.mediaType).toBe(
        'application/vnd.oci.image.layer.v1.tar+zstd',
      );
    });

    it.each([
      ['linux/arm64', ['linux/arm64/v8']],
      ['linux/arm64/v8', ['linux/arm64/v8']],
      ['linux/amd64', ['linux/amd64']],
    ])('selects --platform %s', async (wanted, expected) => {
      const [os, architecture, variant] = wanted.split('/') as [string, string, string?];
      const image = await resolveImage(openImageSource(await multiPlatform()), {
        platform: { os, architecture, ...(variant && { variant }) },
      });
      expect(platforms(image)).toEqual(expected);
    });

    it('fails when no manifest has the platform, listing those it has', async () => {
      const error = await rejection(
        resolveImage(openImageSource(await multiPlatform()), {
          platform: { os: 'linux', architecture: 's390x' },
        }),
      );
      expect(error).toMatchObject({ code: 'NO_MATCHING_PLATFORM' });
      expect(error.message).toContain('linux/amd64, linux/arm64/v8');
    });
  });

  describe('when the reference names a single manifest', () => {
    it('resolves it, with the diff_id of each layer', async () => {
      const built = await buildImage({
        layers: [{ files: { a: '1' } }, { files: { b: '2' }, compression: 'none' }],
        docker: true,
      });
      await writeOciLayout(dir(), { one: built });
      const image = await resolveImage(openImageSource(`oci:${dir()}:one`));
      expect(image.digest).toBe(built.descriptor.digest);
      expect(image.manifests[0]!.layers.map((l) => l.diffId)).toEqual(
        built.layers.map((l) => l.diffId),
      );
    });

    it('fails when the config has fewer diff_ids than the manifest has layers', async () => {
      await writeOciLayout(dir(), {
        bad: await buildImage({ layers: [{ files: { a: '1' } }], diffIds: [] }),
      });
      const error = await rejection(resolveImage(openImageSource(`oci:${dir()}:bad`)));
      expect(error).toMatchObject({ code: 'INVALID_MANIFEST' });
      expect(error.message).toContain('0 entries for 1 layers');
    });
  });
});
