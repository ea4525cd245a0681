import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveImage } from '../../shared/image';
import { readLayers } from '../../shared/layers';
import { openImageSource } from '../../shared/sources';
import { buildImage, tarOf, writeDockerArchive } from '../support/image-builder';
import { rejection } from '../support/read';
import { useTempDir } from '../support/temp';

describe('DockerArchiveSource', () => {
  const dir = useTempDir();
  const image = () =>
    buildImage({
      layers: [{ files: { 'etc/os-release': 'ID=debian\n' } }, { files: { 'app/main': 'x' } }],
      docker: true,
    });

  describe.each([
    ['uncompressed layers, as classic docker save writes them', false],
    ['compressed layers', true],
  ])('when the archive has %s', (_name, keepCompressed) => {
    it('resolves the image and reads its layers, checking the diff_ids', async () => {
      const built = await image();
      const file = join(dir(), 'image.tar');
      await writeDockerArchive(file, built, { keepCompressed });
      const source = openImageSource(`docker-archive:${file}`);
      const resolved = await resolveImage(source);
      const [platform] = resolved.manifests;
      expect(platform!.configDescriptor.digest).toBe(built.configDescriptor.digest);
      expect(platform!.layers.map((l) => l.diffId)).toEqual(built.layers.map((l) => l.diffId));
      const results = await readLayers(source, platform!);
      expect(results.map((r) => r.ok && r.listing.entries.map((e) => e.path))).toEqual([
        ['etc/os-release'],
        ['app/main'],
      ]);
    });
  });

  describe('when the archive holds an OCI layout, as Docker 25+ writes it', () => {
    it('reads the image through its index.json, keeping the real manifest digest', async () => {
      const built = await image();
      const blobs = Object.fromEntries(
        [...built.blobs, [built.descriptor.digest, built.manifest] as const].map(([d, b]) => [
          `blobs/sha256/${d.slice(7)}`,
          b,
        ]),
      );
      const file = join(dir(), 'docker25.tar');
      const { platform: _platform, ...descriptor } = built.descriptor;
      writeFileSync(
        file,
        await tarOf({
          'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
          'index.json': JSON.stringify({ schemaVersion: 2, manifests: [descriptor] }),
          ...blobs,
          'manifest.json': JSON.stringify([{ Config: 'unused', Layers: [] }]),
        }),
      );
      const source = openImageSource(`docker-archive:${file}`);
      const resolved = await resolveImage(source);
      expect(resolved.digest).toBe(built.descriptor.digest);
      const results = await readLayers(source, resolved.manifests[0]!);
      expect(results.every((r) => r.ok)).toBe(true);
    });
  });

  describe('failures', () => {
    it('fails when the file does not exist', async () => {
      expect(
        await rejection(resolveImage(openImageSource(`docker-archive:${dir()}/nope.tar`))),
      ).toMatchObject({ code: 'IMAGE_NOT_FOUND' });
    });

    it('fails when the file is not a tar', async () => {
      writeFileSync(join(dir(), 'junk.tar'), 'this is not a tar archive at all'.repeat(40));
      expect(
        await rejection(resolveImage(openImageSource(`docker-archive:${dir()}/junk.tar`))),
      ).toMatchObject({ code: 'INVALID_IMAGE_LAYOUT' });
    });

    it('fails when manifest.json lists several images', async () => {
      const file = join(dir(), 'two.tar');
      writeFileSync(
        file,
        await tarOf({
          'manifest.json': JSON.stringify([
            { Config: 'a.json', Layers: [], RepoTags: ['a:1'] },
            { Config: 'b.json', Layers: [], RepoTags: ['b:1'] },
          ]),
        }),
      );
      const error = await rejection(resolveImage(openImageSource(`docker-archive:${file}`)));
      expect(error.message).toContain('holds 2 images (a:1, b:1)');
    });

    it('reports a layer whose bytes do not match its diff_id, and still reads the others', async () => {
      const built = await image();
      const file = join(dir(), 'image.tar');
      await writeDockerArchive(file, built);
      const archive = (await import('node:fs')).readFileSync(file);
      const at = archive.indexOf('ID=debian');
      archive.write('ID=evilos', at);
      writeFileSync(file, archive);
      const source = openImageSource(`docker-archive:${file}`);
      const [platform] = (await resolveImage(source)).manifests;
      const results = await readLayers(source, platform!);
      expect(results.map((r) => r.ok)).toEqual([false, true]);
      expect(results[0]).toMatchObject({ ok: false, error: { code: 'BLOB_MISMATCH' } });
    });
  });
});
