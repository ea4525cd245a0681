import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveImage } from '../../shared/image';
import { OciLayoutSource, openImageSource } from '../../shared/sources';
import { buildImage, buildIndex, writeOciLayout } from '../support/image-builder';
import { readAll, rejection } from '../support/read';
import { useTempDir } from '../support/temp';

describe('OciLayoutSource', () => {
  const dir = useTempDir();
  const image = () =>
    buildImage({
      layers: [{ files: { 'etc/os-release': 'ID=alpine\n' } }],
      config: { User: 'app' },
    });

  describe('when the layout holds one tagged image', () => {
    it('resolves by tag, by digest and without either', async () => {
      const built = await image();
      await writeOciLayout(dir(), { v1: built });
      for (const ref of [
        `oci:${dir()}:v1`,
        `oci:${dir()}@${built.descriptor.digest}`,
        `oci:${dir()}`,
      ]) {
        const resolved = await resolveImage(openImageSource(ref));
        expect(resolved.digest).toBe(built.descriptor.digest);
        expect(resolved.manifests[0]!.config.config?.User).toBe('app');
      }
    });

    it('streams a layer blob verified against its digest', async () => {
      const built = await image();
      await writeOciLayout(dir(), { v1: built });
      const source = new OciLayoutSource({ transport: 'oci', path: dir(), tag: 'v1' });
      expect(await readAll(await source.openBlob(built.layers[0]!.descriptor))).toEqual(
        built.layers[0]!.blob,
      );
    });
  });

  describe('when the layout holds several images', () => {
    it('fails without a tag, listing the tags it has', async () => {
      await writeOciLayout(dir(), { a: await image(), b: await buildImage({ layers: [] }) });
      const error = await rejection(resolveImage(openImageSource(`oci:${dir()}`)));
      expect(error).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
      expect(error.message).toMatch(/holds 2 images.*a, b/);
    });
  });

  describe('failures', () => {
    it('fails when the tag is not there', async () => {
      await writeOciLayout(dir(), { v1: await image() });
      const error = await rejection(resolveImage(openImageSource(`oci:${dir()}:v2`)));
      expect(error).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
      expect(error.message).toContain('no image tagged "v2"');
    });

    it('fails when the directory is not an OCI layout', async () => {
      const error = await rejection(resolveImage(openImageSource(`oci:${dir()}/missing:v1`)));
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
    });

    it('fails when a blob was tampered with', async () => {
      const built = await image();
      await writeOciLayout(dir(), { v1: built });
      const layer = built.layers[0]!.descriptor;
      const path = join(dir(), 'blobs', 'sha256', layer.digest.slice(7));
      const bytes = readFileSync(path);
      bytes[bytes.length - 5]! ^= 0xff;
      writeFileSync(path, bytes);
      const source = openImageSource(`oci:${dir()}:v1`);
      const error = await rejection(readAll(await source.openBlob(layer)));
      expect(error).toMatchObject({ code: 'DIGEST_MISMATCH' });
      expect(error.message).toContain(layer.digest);
    });

    it('fails when a manifest was tampered with', async () => {
      const built = await image();
      await writeOciLayout(dir(), { v1: built });
      writeFileSync(
        join(dir(), 'blobs', 'sha256', built.descriptor.digest.slice(7)),
        Buffer.concat([built.manifest, Buffer.from(' ')]),
      );
      expect(await rejection(resolveImage(openImageSource(`oci:${dir()}:v1`)))).toMatchObject({
        code: 'DIGEST_MISMATCH',
      });
    });

    it('fails when a blob is missing', async () => {
      const built = await image();
      await writeOciLayout(dir(), { v1: built });
      rmSync(join(dir(), 'blobs', 'sha256', built.layers[0]!.descriptor.digest.slice(7)));
      const error = await rejection(
        openImageSource(`oci:${dir()}:v1`).openBlob(built.layers[0]!.descriptor),
      );
      expect(error).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
    });

    it('fails when a manifest is over 4 MiB', async () => {
      const built = await buildIndex([await image()]);
      const huge = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: 'application/vnd.oci.image.index.v1+json',
          manifests: [],
          pad: 'x'.repeat(4 * 1024 * 1024),
        }),
      );
      const { descriptorOf } = await import('../support/image-builder');
      await writeOciLayout(dir(), {
        big: { ...built, descriptor: descriptorOf(huge, built.descriptor.mediaType), index: huge },
      });
      expect(await rejection(resolveImage(openImageSource(`oci:${dir()}:big`)))).toMatchObject({
        code: 'MANIFEST_TOO_LARGE',
      });
    });
  });
});
