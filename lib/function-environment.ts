import type { VariableKey } from '../shared/handlers';
import { DEFAULT_SECRET_MAX_AGE_DAYS } from '../shared/rotation';
import type { ResolvedConfig } from './config';
import type { FunctionResources } from './function-grants';
import type { EnvironmentValues } from './pipeline-function';
import { securityHubProductArn } from './security-hub-grants';

type ValueOf = (r: FunctionResources) => string | undefined;

/** The values the stack gives the contract's variables, from its resources and configuration. */
export function environmentValues(r: FunctionResources): EnvironmentValues {
  return (variable) => VALUES[variable](r);
}

const VALUES: Readonly<Record<VariableKey, ValueOf>> = {
  bucket: ({ storage }) => storage.bucket.bucketName,
  imagesTable: ({ storage }) => storage.images.tableName,
  auditTable: ({ storage }) => storage.audit.tableName,
  vulnerabilityTable: ({ storage }) => storage.vulnerabilities.tableName,
  idempotencyTable: ({ storage }) => storage.idempotency.tableName,
  alertsTopicArn: ({ alerts }) => alerts.topicArn,
  eventBus: ({ config }) => (config.publishEvents ? 'default' : undefined),
  operationsTopicArn: ({ operations }) => operations.topicArn,
  policy: ({ policy }) => policy.value,
  repositories: ({ config }) => config.repositories.join(','),
  ecosystems: ({ config }) => config.ecosystems?.join(','),
  alasBaseUrl: ({ config }) => config.alasBaseUrl,
  kevUrl: ({ config }) => config.kevUrl,
  epssUrl: ({ config }) => config.epssUrl,
  triggerWindowSeconds: ({ config }) => String(config.triggerWindowSeconds),
  quarantine: ({ config }) => config.quarantine,
  promotionRepository: ({ config }) => config.promotion?.repository,
  promotionTag: ({ config }) => config.promotion && (config.promotion.tagPattern ?? '{tag}'),
  signatureKeys: ({ config }) => config.signatureKeys?.join(','),
  indexWaitSeconds: ({ config }) => String(config.indexWaitSeconds),
  maxDataAgeHours: ({ config }) => String(config.maxDataAgeHours),
  acceptGaps: ({ config }) => acceptedGaps(config),
  scanStateMachineArn: ({ scanImage }) => scanImage?.stateMachineArn,
  anchorsBucket: ({ anchors }) => anchors?.bucketName,
  secretHygiene: ({ config }) => secretHygiene(config),
  signingSecretArn: ({ signingSecret }) => signingSecret?.secretArn,
  securityHubProductArn: (r) =>
    r.config.securityHub ? securityHubProductArn(r.storage) : undefined,
  runtimeEnforcement: ({ config }) => config.runtimeEnforcement,
  runtimeClusters: ({ config }) => config.runtimeClusters.join(','),
  runtimeExceptions: ({ config }) => JSON.stringify(config.runtimeExceptions),
};

/** The accepted gaps as JSON, or nothing when none is accepted. */
function acceptedGaps(config: ResolvedConfig): string | undefined {
  return config.acceptGaps.length === 0 ? undefined : JSON.stringify(config.acceptGaps);
}

/** The hygiene check's filter and maximum age, as `parseHygieneSettings` reads them. */
function secretHygiene(config: ResolvedConfig): string {
  const { maxAgeDays, ...filter } = config.secretHygiene;
  return JSON.stringify({ filter, maxAgeDays: maxAgeDays ?? DEFAULT_SECRET_MAX_AGE_DAYS });
}
