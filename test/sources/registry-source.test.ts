import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveImage } from '../../shared/image/resolve';
import { parseRegistryReference } from '../../shared/image/reference';
import type { Descriptor } from '../../shared/image/manifest';
import type { ImageSource } from '../../shared/image/source';
import { RegistryNotFoundError, RegistryUnauthorizedError } from '../../shared/registry/errors';
import { openRegistrySource, type RegistryOptions } from '../../shared/sources/registry-source';
import { buildImage, buildIndex, type BuiltImage, type BuiltIndex } from '../support/image-builder';
import { pushImage } from '../support/push';
import { startRegistry, type RunningServer } from '../support/registry-server';

const FAST_RETRY = { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 };

describe('RegistrySource', () => {
  let noDockerConfig: string;
  let image: BuiltImage;
  let dockerImage: BuiltImage;
  let index: BuiltIndex;

  beforeAll(async () => {
    noDockerConfig = await mkdtemp(join(tmpdir(), 'clearance-no-docker-config-'));
    image = await buildImage({
      layers: [
        { files: { 'etc/os-release': 'ID=clearance\n' }, compression: 'gzip' },
        { files: { 'usr/bin/tool': 'binary' }, compression: 'zstd' },
      ],
    });
    dockerImage = await buildImage({ docker: true, layers: [{ files: { 'app.txt': 'docker' } }] });
    const amd64 = await buildImage({
      layers: [{ files: { 'arch.txt': 'amd64' } }],
      platform: { os: 'linux', architecture: 'amd64' },
    });
    const arm64 = await buildImage({
      layers: [{ files: { 'arch.txt': 'arm64' }, compression: 'zstd' }],
      platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
    });
    index = await buildIndex([amd64, arm64], { attestation: true });
  });

  afterAll(async () => {
    await rm(noDockerConfig, { recursive: true, force: true });
  });

  /** Options that see no credentials from this machine's environment or docker login. */
  const isolated = (extra: RegistryOptions = {}): RegistryOptions => ({
    env: { DOCKER_CONFIG: noDockerConfig },
    retry: FAST_RETRY,
    ...extra,
  });

  describe('when the registry is open', () => {
    let registry: RunningServer;

    beforeAll(async () => {
      registry = await startRegistry();
      await pushImage(registry.host, 'team/app', 'layers', image);
      await pushImage(registry.host, 'team/app', 'docker', dockerImage);
      await pushImage(registry.host, 'team/multi', 'latest', index);
    });

    afterAll(async () => {
      await registry.stop();
    });

    const open = (reference: string) =>
      openRegistrySource(parseRegistryReference(`${registry.host}/${reference}`), isolated());

    it('resolves a tag to its manifest, config and gzip and zstd layers', async () => {
      const resolved = await resolveImage(open('team/app:layers'));

      expect(resolved.digest).toBe(image.descriptor.digest);
      expect(resolved.manifests).toHaveLength(1);
      expect(resolved.manifests[0]!.platform).toBe('linux/amd64');
      expect(resolved.manifests[0]!.layers.map((l) => l.diffId)).toEqual(
        image.layers.map((l) => l.diffId),
      );
    });

    it('streams every layer blob back byte for byte', async () => {
      const source = open('team/app:layers');

      for (const layer of image.layers) {
        expect(await readAll(source, layer.descriptor)).toEqual(layer.blob);
      }
    });

    it('resolves a reference by digest', async () => {
      const resolved = await resolveImage(open(`team/app@${image.descriptor.digest}`));

      expect(resolved.digest).toBe(image.descriptor.digest);
    });

    it('reads a Docker v2 schema 2 image', async () => {
      const resolved = await resolveImage(open('team/app:docker'));

      expect(resolved.mediaType).toBe('application/vnd.docker.distribution.manifest.v2+json');
      expect(resolved.manifests[0]!.config.config?.Env).toEqual(['PATH=/usr/bin:/bin']);
    });

    it('resolves a multi-platform index to its platform images, skipping attestation manifests', async () => {
      const resolved = await resolveImage(open('team/multi:latest'));

      expect(resolved.digest).toBe(index.descriptor.digest);
      expect(resolved.manifests.map((m) => m.platform)).toEqual(['linux/amd64', 'linux/arm64/v8']);
      expect(resolved.manifests.map((m) => m.digest)).toEqual(
        index.images.map((i) => i.descriptor.digest),
      );
    });

    it('keeps only the platform asked for', async () => {
      const resolved = await resolveImage(open('team/multi:latest'), {
        platform: { os: 'linux', architecture: 'arm64' },
      });

      expect(resolved.manifests.map((m) => m.platform)).toEqual(['linux/arm64/v8']);
    });

    it('fails when the tag does not exist, naming the repository and the tag', async () => {
      const failure = open('team/app:missing').resolveRoot();

      await expect(failure).rejects.toThrow(RegistryNotFoundError);
      await expect(failure).rejects.toThrow(
        /manifest missing not found in repository team\/app on 127\.0\.0\.1:\d+/,
      );
    });

    it('fails when a blob does not exist, naming its digest', async () => {
      const missing: Descriptor = {
        ...image.layers[0]!.descriptor,
        digest: `sha256:${'0'.repeat(64)}`,
      };

      await expect(open('team/app:layers').openBlob(missing)).rejects.toMatchObject({
        code: 'REGISTRY_NOT_FOUND',
        kind: 'input',
        message: expect.stringContaining(`blob ${missing.digest} not found in repository team/app`),
      });
    });
  });

  describe('when the registry requires basic auth', () => {
    const credentials = { username: 'reader', password: 's3cret-pass' };
    let registry: RunningServer;
    let configDir: string;

    beforeAll(async () => {
      registry = await startRegistry({ auth: credentials });
      await pushImage(registry.host, 'private/app', 'v1', image, credentials);
      configDir = await mkdtemp(join(tmpdir(), 'clearance-docker-config-'));
    });

    afterAll(async () => {
      await registry.stop();
      await rm(configDir, { recursive: true, force: true });
    });

    const reference = () => parseRegistryReference(`${registry.host}/private/app:v1`);

    it('reads the image with credentials from options', async () => {
      const source = openRegistrySource(reference(), isolated(credentials));

      const resolved = await resolveImage(source);

      expect(resolved.digest).toBe(image.descriptor.digest);
      expect(await readAll(source, image.layers[1]!.descriptor)).toEqual(image.layers[1]!.blob);
    });

    it('reads the image with credentials from the environment', async () => {
      const env = {
        DOCKER_CONFIG: noDockerConfig,
        CLEARANCE_REGISTRY_USERNAME: credentials.username,
        CLEARANCE_REGISTRY_PASSWORD: credentials.password,
      };

      const resolved = await resolveImage(openRegistrySource(reference(), isolated({ env })));

      expect(resolved.digest).toBe(image.descriptor.digest);
    });

    it('reads the image with credentials from a docker config.json', async () => {
      const auth = Buffer.from(`${credentials.username}:${credentials.password}`).toString(
        'base64',
      );
      const path = join(configDir, 'config.json');
      await writeFile(path, JSON.stringify({ auths: { [registry.host]: { auth } } }));

      const resolved = await resolveImage(
        openRegistrySource(reference(), isolated({ dockerConfigPath: path })),
      );

      expect(resolved.digest).toBe(image.descriptor.digest);
    });

    it('reads the image with credentials from $DOCKER_CONFIG/config.json', async () => {
      await writeFile(
        join(configDir, 'config.json'),
        JSON.stringify({ auths: { [`http://${registry.host}`]: credentials } }),
      );

      const resolved = await resolveImage(
        openRegistrySource(reference(), isolated({ env: { DOCKER_CONFIG: configDir } })),
      );

      expect(resolved.digest).toBe(image.descriptor.digest);
    });

    it('fails when the credentials are wrong, at once and without the password in the message', async () => {
      const options = isolated({
        username: 'reader',
        password: 'wrong-pass',
        retry: { attempts: 4, baseDelayMs: 10_000 },
      });
      const started = Date.now();

      const error = await openRegistrySource(reference(), options)
        .resolveRoot()
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(RegistryUnauthorizedError);
      expect(error).toMatchObject({ code: 'REGISTRY_UNAUTHORIZED', kind: 'input' });
      expect((error as Error).message).toContain('user "reader" from options');
      expect((error as Error).message).not.toContain('wrong-pass');
      expect(Date.now() - started).toBeLessThan(5_000);
    });

    it('fails when no credentials are found, saying where it looked', async () => {
      const failure = openRegistrySource(reference(), isolated()).resolveRoot();

      await expect(failure).rejects.toThrow(RegistryUnauthorizedError);
      await expect(failure).rejects.toThrow(
        /no credentials found for 127\.0\.0\.1:\d+.*CLEARANCE_REGISTRY_USERNAME/,
      );
    });
  });
});

async function readAll(source: ImageSource, descriptor: Descriptor): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of await source.openBlob(descriptor)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
