import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type Filter,
  type SecretListEntry,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretFilter, SecretLister, SecretSummary } from '../../rotation';
import type {
  SecretDescription,
  SecretStore,
  SecretVersion,
  VersionSelector,
} from '../../rotation';
import { AwsError, awsErrorName, awsRequestError } from '..';

export interface SecretsManagerStoreProps {
  /** Created once at module scope by the handler. */
  readonly client: SecretsManagerClient;
}

/** Secrets listed per ListSecrets page (the API's most). */
const PAGE_SIZE = 100;

/**
 * The SecretStore (rotation) and SecretLister (hygiene) on Secrets Manager. Failures are
 * AwsErrors `AWS_REQUEST_FAILED` classed by kind (throttling transient, a missing secret or a
 * denied call input); a version that does not exist is `undefined`. Messages name the call
 * and the secret, never a value (the SDK's error messages carry none).
 */
export class SecretsManagerStore implements SecretStore, SecretLister {
  constructor(private readonly props: SecretsManagerStoreProps) {}

  async describeSecret(secretId: string): Promise<SecretDescription> {
    const output = await this.attempt('DescribeSecret', secretId, () =>
      this.props.client.send(new DescribeSecretCommand({ SecretId: secretId })),
    );
    if (output.ARN === undefined || output.Name === undefined)
      throw new AwsError(
        'INVALID_REQUEST',
        `Secrets Manager DescribeSecret on ${secretId} answered without ARN or Name`,
        'bug',
      );
    return {
      arn: output.ARN,
      name: output.Name,
      rotationEnabled: output.RotationEnabled === true,
      versions: output.VersionIdsToStages ?? {},
      tags: Object.fromEntries(
        (output.Tags ?? []).flatMap((t) =>
          t.Key === undefined ? [] : [[t.Key, t.Value ?? ''] as const],
        ),
      ),
    };
  }

  async getSecretValue(
    secretId: string,
    select: VersionSelector,
  ): Promise<SecretVersion | undefined> {
    const command = new GetSecretValueCommand({
      SecretId: secretId,
      VersionId: select.versionId,
      VersionStage: select.stage,
    });
    try {
      const output = await this.props.client.send(command);
      if (output.VersionId === undefined || output.SecretString === undefined)
        throw new AwsError(
          'INVALID_STORED_ITEM',
          `Secrets Manager GetSecretValue on ${secretId}: expected a SecretString version, got ${output.SecretBinary === undefined ? 'none' : 'a binary secret'}`,
          'input',
        );
      return {
        versionId: output.VersionId,
        value: output.SecretString,
        stages: output.VersionStages ?? [],
      };
    } catch (error) {
      if (awsErrorName(error) === 'ResourceNotFoundException') return undefined;
      if (error instanceof AwsError) throw error;
      throw awsRequestError('Secrets Manager GetSecretValue', secretId, error);
    }
  }

  async putSecretValue(
    secretId: string,
    token: string,
    value: string,
    stages: readonly string[],
    options: { readonly rotationToken?: string } = {},
  ): Promise<void> {
    const command = new PutSecretValueCommand({
      SecretId: secretId,
      ClientRequestToken: token,
      SecretString: value,
      VersionStages: [...stages],
      RotationToken: options.rotationToken,
    });
    await this.attempt('PutSecretValue', secretId, () => this.props.client.send(command));
  }

  async updateSecretVersionStage(
    secretId: string,
    stage: string,
    versions: { readonly moveTo?: string; readonly removeFrom?: string },
  ): Promise<void> {
    const command = new UpdateSecretVersionStageCommand({
      SecretId: secretId,
      VersionStage: stage,
      MoveToVersionId: versions.moveTo,
      RemoveFromVersionId: versions.removeFrom,
    });
    await this.attempt('UpdateSecretVersionStage', secretId, () => this.props.client.send(command));
  }

  /** Every secret the filter selects, page after page (ListSecrets), no value read. */
  async listSecrets(filter: SecretFilter): Promise<SecretSummary[]> {
    const secrets: SecretSummary[] = [];
    let token: string | undefined;
    do {
      const command = new ListSecretsCommand({
        Filters: filtersOf(filter),
        MaxResults: PAGE_SIZE,
        NextToken: token,
      });
      const page = await this.attempt('ListSecrets', 'the account', () =>
        this.props.client.send(command),
      );
      secrets.push(...(page.SecretList ?? []).flatMap(summaryOf));
      token = page.NextToken;
    } while (token !== undefined);
    return secrets;
  }

  private async attempt<O>(call: string, target: string, run: () => Promise<O>): Promise<O> {
    try {
      return await run();
    } catch (error) {
      throw awsRequestError(`Secrets Manager ${call}`, target, error);
    }
  }
}

/** ListSecrets filters: tag-key, tag-value and name (a prefix match) are ANDed. */
function filtersOf(filter: SecretFilter): Filter[] | undefined {
  const filters: Filter[] = [
    ...(filter.tagKey !== undefined ? [{ Key: 'tag-key' as const, Values: [filter.tagKey] }] : []),
    ...(filter.tagValue !== undefined
      ? [{ Key: 'tag-value' as const, Values: [filter.tagValue] }]
      : []),
    ...(filter.namePrefix !== undefined
      ? [{ Key: 'name' as const, Values: [filter.namePrefix] }]
      : []),
  ];
  return filters.length > 0 ? filters : undefined;
}

function summaryOf(entry: SecretListEntry): SecretSummary[] {
  if (entry.ARN === undefined || entry.Name === undefined) return [];
  return [
    {
      arn: entry.ARN,
      name: entry.Name,
      rotationEnabled: entry.RotationEnabled === true,
      lastRotatedDate: entry.LastRotatedDate,
      lastChangedDate: entry.LastChangedDate,
      createdDate: entry.CreatedDate,
      kmsKeyId: entry.KmsKeyId,
    },
  ];
}
