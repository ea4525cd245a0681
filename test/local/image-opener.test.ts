import { join } from 'node:path';
import { formatImageReference } from '../../shared/image/reference';
import { resolveImage } from '../../shared/image/resolve';
import {
  LocalImageOpener,
  localImageTarget,
  localReference,
} from '../../shared/local/image-opener';
import { buildImage, writeDockerArchive, writeOciLayout } from '../support/image-builder';
import { pushImage } from '../support/push';
import { readAll } from '../support/read';
import { startRegistry } from '../support/registry-server';
import { DEMO_IMAGE } from '../support/scan-steps';
import { useTempDir } from '../support/temp';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('localReference', () => {
  it.each([
    [{ registry: 'oci:/images/app', tag: 'v1' }, `oci:/images/app:v1@${DIGEST}`],
    [{ registry: 'oci:/images/app' }, `oci:/images/app@${DIGEST}`],
    [{ registry: 'docker-archive:/images/app.tar', tag: 'v1' }, 'docker-archive:/images/app.tar'],
    [{ registry: '127.0.0.1:5000', tag: 'v1' }, `127.0.0.1:5000/team/app:v1@${DIGEST}`],
  ])('names %o as %s', (target, expected) => {
    const image = { repository: 'team/app', digest: DIGEST, ...target };
    expect(formatImageReference(localReference(image))).toBe(expected);
  });
});

describe('LocalImageOpener', () => {
  const dir = useTempDir();

  describe.each([
    ['uncompressed layer tars (classic docker save)', false],
    ['compressed layer blobs', true],
  ])('when a docker archive has %s', (_kind, keepCompressed) => {
    it('reads a layer by the descriptor another opening resolved, as AnalyzeLayer does', async () => {
      const built = await buildImage({
        layers: [{ files: { 'etc/os-release': 'ID=debian\n' } }, { files: { 'app/main': 'x' } }],
        docker: true,
      });
      const file = join(dir(), 'app.tar');
      await writeDockerArchive(file, built, { keepCompressed });
      const opener = new LocalImageOpener();
      const image = await localImageTarget(`docker-archive:${file}`);
      const resolving = await opener.open(image);
      const [platform] = (await resolveImage(resolving)).manifests;
      await resolving.close();

      for (const layer of platform!.layers) {
        const source = await opener.open(image);
        const bytes = await readAll(await source.openBlob(layer.descriptor));
        await source.close();
        expect(bytes.length).toBe(layer.descriptor.size);
      }
    });
  });
});

describe('localImageTarget', () => {
  const dir = useTempDir();

  describe('when the reference is an OCI layout', () => {
    it('names the image by its digest, after its directory, with the tag', async () => {
      await expect(localImageTarget(`oci:${DEMO_IMAGE}:latest`)).resolves.toEqual({
        registry: `oci:${DEMO_IMAGE}`,
        repository: 'demo-image',
        digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
        tag: 'latest',
      });
    });
  });

  describe('when the reference is a docker archive', () => {
    it('names the image after the file', async () => {
      const built = await buildImage({ layers: [{ files: { a: 'a' } }] });
      await writeDockerArchive(join(dir(), 'app.tar'), built);

      await expect(localImageTarget(`docker-archive:${join(dir(), 'app.tar')}`)).resolves.toEqual({
        registry: `docker-archive:${join(dir(), 'app.tar')}`,
        repository: 'app',
        digest: expect.stringMatching(/^sha256:/),
      });
    });
  });

  describe('when the reference is in a registry on 127.0.0.1', () => {
    it('names the image by the digest its tag points to', async () => {
      const registry = await startRegistry();
      try {
        const built = await buildImage({ layers: [{ files: { a: 'a' } }] });
        await pushImage(registry.host, 'team/app', 'v1', built);

        await expect(localImageTarget(`${registry.host}/team/app:v1`)).resolves.toEqual({
          registry: registry.host,
          repository: 'team/app',
          digest: built.descriptor.digest,
          tag: 'v1',
        });
      } finally {
        await registry.stop();
      }
    });
  });

  it('fails when the OCI layout has no such tag', async () => {
    await writeOciLayout(join(dir(), 'one'), {
      v1: await buildImage({ layers: [{ files: { a: 'a' } }] }),
    });
    await expect(localImageTarget(`oci:${join(dir(), 'one')}:v2`)).rejects.toMatchObject({
      code: 'IMAGE_NOT_FOUND',
    });
  });
});
