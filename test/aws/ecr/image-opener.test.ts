import { ECRClient, ECRServiceException, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { join } from 'node:path';
import { EcrImageOpener } from '../../../shared/aws/ecr/image-opener';
import { analyzeLayerStep } from '../../../shared/pipeline/analyze-layer';
import { DirectoryObjectStore } from '../../../shared/objects/object-store';
import { readStoredImage } from '../../../shared/pipeline/scan-keys';
import { stepErrorOf } from '../../../shared/pipeline/errors';
import type { ImageTarget } from '../../../shared/pipeline/states';
import { RegistrySource } from '../../../shared/sources/registry-source';
import { buildImage, type BuiltImage } from '../../support/image-builder';
import { MemoryAuditLog, MemoryVerdictStore } from '../../support/pipeline-ports';
import { pushImage } from '../../support/push';
import { startRegistry, type RunningServer } from '../../support/registry-server';
import { TODAY, TRIGGER, resolveImageScan } from '../../support/scan-steps';
import { useTempDir } from '../../support/temp';

const ecr = mockClient(ECRClient);
const HOST = '123456789012.dkr.ecr.eu-west-1.amazonaws.com';
const PASSWORD = 'ecr-password';
const EXPIRES_AT = new Date('2026-11-29T12:00:00Z');

function answer(password = PASSWORD): void {
  const token = Buffer.from(`AWS:${password}`).toString('base64');
  ecr
    .on(GetAuthorizationTokenCommand)
    .resolves({ authorizationData: [{ authorizationToken: token, expiresAt: EXPIRES_AT }] });
}

describe('EcrImageOpener', () => {
  const dir = useTempDir();
  let registry: RunningServer;
  let built: BuiltImage;
  let regions: string[];

  beforeAll(async () => {
    registry = await startRegistry({ auth: { username: 'AWS', password: PASSWORD } });
    built = await buildImage({
      layers: [{ files: { 'etc/os-release': 'ID=debian\nVERSION_ID="12"\n' } }],
    });
    await pushImage(registry.host, 'team/app', 'v1', built, {
      username: 'AWS',
      password: PASSWORD,
    });
  });
  afterAll(() => registry.stop());

  beforeEach(() => {
    ecr.reset();
    regions = [];
  });

  /** An opener that reaches the ECR host's API at the local registry. */
  const opener = () =>
    new EcrImageOpener({
      clientFor: (region) => {
        regions.push(region);
        return new ECRClient({ region });
      },
      now: () => TODAY,
      endpointOf: (host) => (host === HOST ? registry.host : host),
    });
  const target = (): ImageTarget => ({
    registry: HOST,
    repository: 'team/app',
    digest: built.descriptor.digest,
    tag: 'v1',
  });
  const deps = (imageOpener: EcrImageOpener) => ({
    store: new DirectoryObjectStore(join(dir(), 'objects')),
    opener: imageOpener,
    clock: () => TODAY,
    audit: new MemoryAuditLog(),
    verdicts: new MemoryVerdictStore(),
  });

  describe('when ECR gives a token the registry accepts', () => {
    it('opens the image by digest under its ECR reference', async () => {
      answer();
      const source = await opener().open(target());

      expect(source).toBeInstanceOf(RegistrySource);
      expect(source.reference).toBe(`${HOST}/team/app:v1@${built.descriptor.digest}`);
      expect((await source.resolveRoot()).digest).toBe(built.descriptor.digest);
    });

    it('resolves and reads the layers with one token from the region of the host', async () => {
      answer();
      const shared = opener();
      const resolved = await resolveImageScan({ image: target(), trigger: TRIGGER }, deps(shared));
      const [platform] = resolved.platforms;
      const analyzed = await analyzeLayerStep(
        { image: target(), analyzerSet: resolved.analyzerSet, layer: platform!.layers[0]! },
        deps(shared),
      );

      expect(analyzed.cached).toBe(false);
      expect((await readStoredImage(deps(shared).store, platform!.imageKey)).reference).toBe(
        `${HOST}/team/app:v1@${built.descriptor.digest}`,
      );
      expect(ecr.commandCalls(GetAuthorizationTokenCommand)).toHaveLength(1);
      expect(regions).toEqual(['eu-west-1']);
    });
  });

  it('fails as Clearance.Input when the digest is not in the repository, naming both', async () => {
    answer();
    const missing = { ...target(), digest: `sha256:${'0'.repeat(64)}` };
    const failure = resolveImageScan({ image: missing, trigger: TRIGGER }, deps(opener()));

    await expect(failure).rejects.toMatchObject({ code: 'IMAGE_NOT_FOUND', kind: 'input' });
    await expect(
      failure.catch((e: unknown) => Promise.reject(stepErrorOf(e))),
    ).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining(
        `${missing.digest} is not in repository team/app of ${HOST}`,
      ),
    });
  });

  it('fails as input when the registry refuses the token', async () => {
    answer('another-password');
    const source = await opener().open(target());

    await expect(source.resolveRoot()).rejects.toMatchObject({
      code: 'REGISTRY_UNAUTHORIZED',
      kind: 'input',
    });
  });

  it('fails as input when ECR denies the token', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(
      new ECRServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'not allowed',
      }),
    );
    const source = await opener().open(target());

    await expect(source.resolveRoot()).rejects.toMatchObject({
      code: 'CREDENTIALS_UNAVAILABLE',
      kind: 'input',
    });
  });

  it('fails as transient when ECR throttles', async () => {
    ecr.on(GetAuthorizationTokenCommand).rejects(
      new ECRServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    );
    const source = await opener().open(target());

    await expect(source.resolveRoot()).rejects.toMatchObject({ kind: 'transient' });
  });

  it('fails as input when the registry is not an ECR host', async () => {
    await expect(opener().open({ ...target(), registry: registry.host })).rejects.toMatchObject({
      code: 'MALFORMED_INPUT',
      kind: 'input',
      message: expect.stringContaining(`expected an ECR registry`),
    });
    expect(ecr.calls()).toHaveLength(0);
  });
});
