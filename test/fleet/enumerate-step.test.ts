import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
} from '@aws-sdk/client-ecr';
import { mockClient } from 'aws-sdk-client-mock';
import { ENUMERATE_STEP } from '../../shared/fleet/enumerate';
import { bindStep } from '../../shared/pipeline/step-binding';
import { EcrFleetLister } from '../../shared/aws/ecr/fleet-lister';
import { DirectoryObjectStore } from '../../shared/objects';
import { readItems } from '../../shared/fleet/items';
import { readArtifactFixture } from '../support/artifacts';
import { useTempDir } from '../support/temp';

const ecr = mockClient(ECRClient);
const NOW = new Date('2026-01-02T03:04:05Z');
const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('ENUMERATE_STEP', () => {
  const dir = useTempDir();

  beforeEach(() => {
    ecr.reset();
    ecr
      .on(DescribeRepositoriesCommand)
      .resolves({ repositories: [{ repositoryName: 'team/web' }] });
    ecr.on(DescribeImagesCommand).resolves({
      imageDetails: [{ registryId: '123456789012', imageDigest: DIGEST, imageTags: ['1.0'] }],
    });
    ecr.on(BatchGetImageCommand).resolves({
      images: [
        {
          imageId: { imageDigest: DIGEST },
          imageManifest: readArtifactFixture('image-oci').toString(),
        },
      ],
    });
  });

  function handler() {
    const store = new DirectoryObjectStore(dir());
    const lister = new EcrFleetLister({
      client: new ECRClient({ region: 'eu-west-1' }),
      repositories: ['team/*'],
    });
    return {
      store,
      handle: bindStep(ENUMERATE_STEP, {
        lister,
        store,
        clock: () => NOW,
        bucket: 'artifacts',
      }),
    };
  }

  it('writes the items of the run the state machine names and returns what the ItemReader needs', async () => {
    const { store, handle } = handler();
    const output = await handle({ runId: 'exec-1', ignored: true });
    expect(output).toEqual({
      runId: 'exec-1',
      itemsKey: 'fleet/exec-1/items.jsonl',
      resultsPrefix: 'fleet/exec-1/results',
      bucket: 'artifacts',
      count: 1,
      skipped: { artifacts: {}, promotionCopies: 0 },
      startedAt: NOW.toISOString(),
    });
    expect(await readItems(store, output.itemsKey)).toEqual([
      {
        registry: '123456789012.dkr.ecr.eu-west-1.amazonaws.com',
        repository: 'team/web',
        digest: DIGEST,
        tag: '1.0',
      },
    ]);
  });

  it('makes a key-safe run id of an execution name that is not one', async () => {
    const output = await handler().handle({ runId: '../escape' });
    expect(output.runId).toMatch(/^---escape-[0-9a-f]{12}$/);
    expect(output.itemsKey).toBe(`fleet/${output.runId}/items.jsonl`);
  });

  it('fails as Clearance.Input when the run id is longer than an execution name', async () => {
    await expect(handler().handle({ runId: 'x'.repeat(81) })).rejects.toMatchObject({
      name: 'Clearance.Input',
      message: expect.stringContaining('runId') as unknown,
    });
  });

  it('fails as Clearance.Transient when ECR throttles, so that it is retried', async () => {
    ecr.on(DescribeImagesCommand).rejects(
      new ECRServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
        message: 'Rate exceeded',
      }),
    );
    await expect(handler().handle({})).rejects.toMatchObject({ name: 'Clearance.Transient' });
  });
});
