import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { resolveImage } from '../../shared/image/resolve';
import { readLayers } from '../../shared/layers';
import { localImageTarget } from '../../shared/local/image-opener';
import { localCopyReference, LocalRegistryWriter } from '../../shared/local/registry-writer';
import type { ImageTarget } from '../../shared/pipeline/states';
import { openImageSource } from '../../shared/sources';
import {
  buildImage,
  buildIndex,
  writeDockerArchive,
  writeOciLayout,
  type BuiltImage,
} from '../support/image-builder';
import { pushImage } from '../support/push';
import { rejection } from '../support/read';
import { startRegistry, type RunningServer } from '../support/registry-server';
import { useTempDir } from '../support/temp';

const platformImage = (arch: string): Promise<BuiltImage> =>
  buildImage({
    layers: [{ files: { 'etc/os-release': 'ID=debian\n' } }, { files: { [`app/${arch}`]: arch } }],
    platform: { os: 'linux', architecture: arch },
  });
const anImage = () => platformImage('amd64');
const anIndex = async () =>
  buildIndex([await platformImage('amd64'), await platformImage('arm64')], { attestation: true });

/** Every layer of every platform of `reference` reads, its digest checked: the copy is whole. */
async function readsWhole(reference: string): Promise<boolean> {
  const source = openImageSource(reference);
  try {
    const resolved = await resolveImage(source);
    for (const platform of resolved.manifests)
      if (!(await readLayers(source, platform)).every((r) => r.ok)) return false;
    return true;
  } finally {
    await source.close();
  }
}

const digestOf = async (reference: string): Promise<string> =>
  (await localImageTarget(reference)).digest;

describe('LocalRegistryWriter', () => {
  const dir = useTempDir();
  const stateDir = () => join(dir(), 'state');
  const writer = (attachToLayout = false) =>
    new LocalRegistryWriter({ stateDir: stateDir(), attachToLayout });

  async function layout(name: string, tag = '1.0'): Promise<ImageTarget> {
    await writeOciLayout(join(dir(), name), { [tag]: await anIndex() });
    return localImageTarget(`oci:${join(dir(), name)}:${tag}`);
  }

  describe('when the image is an OCI layout', () => {
    it("copies it whole into the state directory's layout of the repository, tagged", async () => {
      const image = await layout('app');
      const before = readFileSync(join(dir(), 'app', 'index.json'));

      await writer().copy(image, { repository: 'releases', tag: 'release-1.0' });

      const copy = `oci:${join(stateDir(), 'registry', 'releases')}:release-1.0`;
      expect(await digestOf(copy)).toBe(image.digest);
      expect(await readsWhole(copy)).toBe(true);
      expect(readFileSync(join(dir(), 'app', 'index.json'))).toEqual(before);
    });

    it('moves a tag that named another image, and keeps the other tags', async () => {
      const first = await layout('first');
      const second = await layout('second');
      const to = (tag: string) => ({ repository: 'releases', tag });
      await writer().copy(first, to('stable'));
      await writer().copy(first, to('1.0'));
      await writer().copy(second, to('stable'));

      const releases = join(stateDir(), 'registry', 'releases');
      expect(await digestOf(`oci:${releases}:stable`)).toBe(second.digest);
      expect(await digestOf(`oci:${releases}:1.0`)).toBe(first.digest);
    });

    describe('when told to attach to the layout', () => {
      it('tags the image in its own layout, beside its tag, for its own repository', async () => {
        const image = await layout('app');

        await writer(true).copy(image, { repository: 'app', tag: 'quarantine-0123456789ab' });

        const app = join(dir(), 'app');
        expect(await digestOf(`oci:${app}:quarantine-0123456789ab`)).toBe(image.digest);
        expect(await digestOf(`oci:${app}:1.0`)).toBe(image.digest);
      });
    });
  });

  describe('when the image is a docker archive', () => {
    it('copies the image the archive holds into a layout, tagged', async () => {
      const file = join(dir(), 'app.tar');
      await writeDockerArchive(file, await anImage());
      const image = await localImageTarget(`docker-archive:${file}`);

      await writer().copy(image, { repository: 'app', tag: 'quarantine-0123456789ab' });

      const copy = `oci:${join(stateDir(), 'registry', 'app')}:quarantine-0123456789ab`;
      expect(await digestOf(copy)).toBe(image.digest);
      expect(await readsWhole(copy)).toBe(true);
    });
  });

  describe('when the image is in a registry on 127.0.0.1', () => {
    let registry: RunningServer;
    beforeAll(async () => {
      registry = await startRegistry();
    });
    afterAll(() => registry.stop());

    it('tags it in its own repository', async () => {
      await pushImage(registry.host, 'team/app', '1.0', await anIndex());
      const image = await localImageTarget(`${registry.host}/team/app:1.0`);

      await writer().copy(image, { repository: 'team/app', tag: 'quarantine-0123456789ab' });

      expect(await digestOf(`${registry.host}/team/app:quarantine-0123456789ab`)).toBe(
        image.digest,
      );
    });

    it('copies it, an index with its manifests and blobs, to another repository', async () => {
      await pushImage(registry.host, 'team/api', '2.0', await anIndex());
      const image = await localImageTarget(`${registry.host}/team/api:2.0`);

      await writer().copy(image, { repository: 'releases/api', tag: 'release-2.0' });

      const copy = `${registry.host}/releases/api:release-2.0`;
      expect(await digestOf(copy)).toBe(image.digest);
      expect(await readsWhole(copy)).toBe(true);
    });
  });

  it('fails when the repository would name a directory outside the state directory', async () => {
    const image = await layout('app');
    const error = await rejection(writer().copy(image, { repository: '../../etc', tag: 'x' }));
    expect(error).toMatchObject({ code: 'MISCONFIGURED', kind: 'input' });
    expect(error.message).toContain('expected a repository name');
  });

  it('fails when the docker archive holds another image than the one scanned', async () => {
    const file = join(dir(), 'app.tar');
    await writeDockerArchive(file, await anImage());
    const image = await localImageTarget(`docker-archive:${file}`);
    await writeDockerArchive(file, await platformImage('arm64'));

    const error = await rejection(writer().copy(image, { repository: 'app', tag: 'x' }));
    expect(error).toMatchObject({ code: 'IMAGE_NOT_FOUND', kind: 'input' });
  });
});

describe('localCopyReference', () => {
  const state = '/work/.clearance/pipeline';
  const digest = `sha256:${'a'.repeat(64)}`;
  it.each([
    ['oci:/images/app', false, 'releases', `oci:${state}/registry/releases:1.0`],
    ['oci:/images/app', false, 'app', `oci:${state}/registry/app:1.0`],
    ['oci:/images/app', true, 'app', 'oci:/images/app:1.0'],
    ['oci:/images/app', true, 'releases', `oci:${state}/registry/releases:1.0`],
    ['docker-archive:/images/app.tar', true, 'app', `oci:${state}/registry/app:1.0`],
    ['127.0.0.1:5000', false, 'releases/app', '127.0.0.1:5000/releases/app:1.0'],
  ])('names the copy of %s (attach: %s) to %s as %s', (registry, attach, repository, expected) => {
    const image = { registry, repository: 'app', digest };
    expect(
      localCopyReference(
        image,
        { repository, tag: '1.0' },
        { stateDir: state, attachToLayout: attach },
      ),
    ).toBe(expected);
  });
});
