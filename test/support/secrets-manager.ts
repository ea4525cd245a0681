import {
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  type GetObjectCommandOutput,
} from '@aws-sdk/client-s3';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { NoSuchKey } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/*
 * Secrets Manager's versions and staging labels as the service keeps them, behind
 * aws-sdk-client-mock (there is no local Secrets Manager): PutSecretValue idempotent per
 * ClientRequestToken, a label on one version at a time, AWSPREVIOUS following AWSCURRENT,
 * GetSecretValue by VersionId and/or VersionStage. And the artifacts bucket's GetObject and
 * PutObject in memory. Every write is logged in `events`, so a test can check their order.
 */

export const SECRET_ARN =
  'arn:aws:secretsmanager:eu-west-1:123456789012:secret:clearance/signing-AbCdEf';
export const SECRET_NAME = 'clearance/signing';

export interface FakeSecret {
  rotationEnabled: boolean;
  tags: Record<string, string>;
  /** version id → value and labels */
  versions: Map<string, { value: string; stages: Set<string> }>;
}

export class FakeSecretsManager {
  readonly sm = mockClient(SecretsManagerClient);
  readonly s3 = mockClient(S3Client);
  readonly objects = new Map<string, Buffer>();
  readonly events: string[] = [];
  secret: FakeSecret = { rotationEnabled: true, tags: {}, versions: new Map() };

  /** Resets both mocks and installs the behaviour; the secret starts with `current` as AWSCURRENT. */
  reset(current: string, tags: Record<string, string>): void {
    this.sm.reset();
    this.s3.reset();
    this.objects.clear();
    this.events.length = 0;
    this.secret = {
      rotationEnabled: true,
      tags,
      versions: new Map([['v0', { value: current, stages: new Set(['AWSCURRENT']) }]]),
    };
    this.sm.on(DescribeSecretCommand).callsFake(() => this.describe());
    this.sm.on(GetSecretValueCommand).callsFake((input: GetInput) => this.get(input));
    this.sm.on(PutSecretValueCommand).callsFake((input: PutInput) => this.put(input));
    this.sm.on(UpdateSecretVersionStageCommand).callsFake((input: StageInput) => this.stage(input));
    this.s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Buffer }) => {
      this.events.push(`s3:put ${input.Key}`);
      this.objects.set(input.Key, Buffer.from(input.Body));
      return {};
    });
    this.s3.on(GetObjectCommand).callsFake((input: { Key: string }) => {
      const bytes = this.objects.get(input.Key);
      if (bytes === undefined)
        throw new NoSuchKey({ $metadata: { httpStatusCode: 404 }, message: 'no key' });
      return {
        Body: {
          transformToByteArray: () => Promise.resolve(new Uint8Array(bytes)),
        } as unknown as GetObjectCommandOutput['Body'],
      };
    });
  }

  /** Adds a version (as Secrets Manager's RotateSecret does before calling createSecret). */
  addVersion(versionId: string, value: string | undefined, stages: string[]): void {
    for (const stage of stages)
      for (const v of this.secret.versions.values()) v.stages.delete(stage);
    this.secret.versions.set(versionId, { value: value ?? '', stages: new Set(stages) });
  }

  /** The version id carrying `stage`. */
  versionWith(stage: string): string | undefined {
    return [...this.secret.versions].find(([, v]) => v.stages.has(stage))?.[0];
  }

  valueOf(versionId: string): string | undefined {
    return this.secret.versions.get(versionId)?.value;
  }

  private describe() {
    return {
      ARN: SECRET_ARN,
      Name: SECRET_NAME,
      RotationEnabled: this.secret.rotationEnabled,
      VersionIdsToStages: Object.fromEntries(
        [...this.secret.versions].map(([id, v]) => [id, [...v.stages]]),
      ),
      Tags: Object.entries(this.secret.tags).map(([Key, Value]) => ({ Key, Value })),
    };
  }

  private get({ VersionId, VersionStage }: GetInput) {
    const stage = VersionStage ?? (VersionId === undefined ? 'AWSCURRENT' : undefined);
    const id = VersionId ?? (stage === undefined ? undefined : this.versionWith(stage));
    const version = id === undefined ? undefined : this.secret.versions.get(id);
    // A version created by RotateSecret before createSecret has no value yet: not found.
    if (
      version === undefined ||
      version.value === '' ||
      (stage !== undefined && !version.stages.has(stage))
    )
      throw notFound(`no version ${VersionId ?? ''} ${VersionStage ?? ''}`);
    return {
      ARN: SECRET_ARN,
      VersionId: id,
      SecretString: version.value,
      VersionStages: [...version.stages],
    };
  }

  private put({ ClientRequestToken, SecretString, VersionStages }: PutInput) {
    const existing = this.secret.versions.get(ClientRequestToken);
    if (existing !== undefined && existing.value !== '') {
      if (existing.value !== SecretString)
        throw new ResourceExistsException({
          $metadata: { httpStatusCode: 400 },
          message: 'version exists with another value',
        });
      return { VersionId: ClientRequestToken };
    }
    this.events.push(`sm:put ${ClientRequestToken} ${VersionStages.join(',')}`);
    this.addVersion(ClientRequestToken, SecretString, VersionStages);
    return { VersionId: ClientRequestToken };
  }

  private stage({ VersionStage, MoveToVersionId, RemoveFromVersionId }: StageInput) {
    const holder = this.versionWith(VersionStage);
    if (RemoveFromVersionId !== undefined && holder !== RemoveFromVersionId)
      throw invalid(`${VersionStage} is not on ${RemoveFromVersionId}`);
    if (
      MoveToVersionId !== undefined &&
      holder !== undefined &&
      holder !== MoveToVersionId &&
      RemoveFromVersionId === undefined
    )
      throw invalid(`${VersionStage} is on ${holder}: name it in RemoveFromVersionId`);
    this.events.push(
      `sm:stage ${VersionStage} ${RemoveFromVersionId ?? '-'} -> ${MoveToVersionId ?? '-'}`,
    );
    if (RemoveFromVersionId !== undefined)
      this.secret.versions.get(RemoveFromVersionId)!.stages.delete(VersionStage);
    if (MoveToVersionId === undefined) return {};
    this.secret.versions.get(MoveToVersionId)!.stages.add(VersionStage);
    if (VersionStage === 'AWSCURRENT' && RemoveFromVersionId !== undefined) {
      for (const v of this.secret.versions.values()) v.stages.delete('AWSPREVIOUS');
      this.secret.versions.get(RemoveFromVersionId)!.stages.add('AWSPREVIOUS');
    }
    return {};
  }
}

interface GetInput {
  VersionId?: string;
  VersionStage?: string;
}
interface PutInput {
  ClientRequestToken: string;
  SecretString: string;
  VersionStages: string[];
}
interface StageInput {
  VersionStage: string;
  MoveToVersionId?: string;
  RemoveFromVersionId?: string;
}

function notFound(message: string): ResourceNotFoundException {
  return new ResourceNotFoundException({ $metadata: { httpStatusCode: 400 }, message });
}

function invalid(message: string): InvalidParameterException {
  return new InvalidParameterException({ $metadata: { httpStatusCode: 400 }, message });
}
