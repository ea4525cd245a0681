import { parseRepositoryGlobs } from '../fleet';
import { parseHygieneSettings } from '../rotation';
import { gapAcceptance, maxDataAgeHours } from '../pipeline';
import { indexWaitSeconds, promotionTagPattern, quarantineMode, windowSeconds } from '../pipeline';
import { enforcementMode, parseRuntimeExceptions } from '../deployments';

/*
 * The environment variables of the Lambda functions, each named here and nowhere else: the CDK
 * app sets them (lib/function-environment.ts), each function reads its own at cold start
 * (environment.ts says which), and `clearance pipeline run` reads the settings from the
 * synthesized template through the same parsers.
 */

/** One environment variable of the functions. */
export interface EnvironmentVariable<T, K extends VariableKind = VariableKind> {
  /** Its name in a function's environment. */
  readonly name: string;
  /** Its text → its value; a wrong value fails at cold start, naming the variable. */
  readonly parse: (text: string) => T;
  readonly kind: K;
  /** A value of its form: the bench's fake environment, tests. */
  readonly sample: string;
}

/**
 * `resource`: names a part of the stack (a bucket, a table, a topic, an ARN, where the policy
 * is), for which the local runner has a stand-in (a directory, dynalite, `--policy`);
 * `setting`: configuration, which the local runner reads from the template as deployed.
 */
export type VariableKind = 'resource' | 'setting';

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';

export const ENVIRONMENT_VARIABLES = {
  bucket: resource('CLEARANCE_BUCKET', `clearance-artifacts-${ACCOUNT}`),
  imagesTable: resource('CLEARANCE_IMAGES_TABLE', 'clearance-images'),
  auditTable: resource('CLEARANCE_AUDIT_TABLE', 'clearance-audit'),
  vulnerabilityTable: resource('CLEARANCE_VULNERABILITY_TABLE', 'clearance-vulnerabilities'),
  idempotencyTable: resource('CLEARANCE_IDEMPOTENCY_TABLE', 'clearance-idempotency'),
  alertsTopicArn: resource('CLEARANCE_ALERTS_TOPIC_ARN', arn('sns', 'clearance-alerts')),
  /** The bus Clearance's events are put on (`default`); unset when `publishEvents` is off. */
  eventBus: resource('CLEARANCE_EVENT_BUS', 'default'),
  operationsTopicArn: resource('CLEARANCE_OPERATIONS_TOPIC_ARN', arn('sns', 'clearance-ops')),
  /** `default` (the bundled policy) or `s3://bucket/key`, read on the first invocation. */
  policy: resource('CLEARANCE_POLICY', 'default'),
  /** Comma-separated repository globs (fleet/repositories.ts). */
  repositories: setting('CLEARANCE_REPOSITORIES', parseRepositoryGlobs, '*'),
  /** Comma-separated OSV ecosystems to sync. */
  ecosystems: setting('CLEARANCE_ECOSYSTEMS', commaList, 'Debian,npm'),
  /** A mirror of Amazon Linux's repositories. */
  alasBaseUrl: setting('CLEARANCE_ALAS_BASE_URL', text, 'https://alas-mirror.example.com'),
  kevUrl: setting('CLEARANCE_KEV_URL', text, 'https://mirror.example.com/kev.json'),
  epssUrl: setting('CLEARANCE_EPSS_URL', text, 'https://mirror.example.com/epss.csv.gz'),
  triggerWindowSeconds: setting('CLEARANCE_TRIGGER_WINDOW_SECONDS', windowSeconds, '3600'),
  quarantine: setting('CLEARANCE_QUARANTINE', quarantineMode, 'record'),
  promotionRepository: setting('CLEARANCE_PROMOTION_REPOSITORY', text, 'release/api'),
  promotionTag: setting('CLEARANCE_PROMOTION_TAG', promotionTagPattern, '{tag}'),
  /** Comma-separated `awskms://<key ARN>`, cosign's form; the keys are read on first use. */
  signatureKeys: setting('CLEARANCE_SIGNATURE_KEYS', text, `awskms://${arn('kms', 'key/k')}`),
  indexWaitSeconds: setting('CLEARANCE_INDEX_WAIT_SECONDS', indexWaitSeconds, '60'),
  maxDataAgeHours: setting('CLEARANCE_MAX_DATA_AGE_HOURS', maxDataAgeHours, '120'),
  acceptGaps: setting('CLEARANCE_ACCEPT_GAPS', gapAcceptance, '["stale-data"]'),
  scanStateMachineArn: resource(
    'CLEARANCE_SCAN_STATE_MACHINE_ARN',
    arn('states', 'stateMachine:ClearanceScanImage'),
  ),
  anchorsBucket: resource('CLEARANCE_ANCHORS_BUCKET', `clearance-anchors-${ACCOUNT}`),
  secretHygiene: setting(
    'CLEARANCE_SECRET_HYGIENE',
    parseHygieneSettings,
    '{"filter":{},"maxAgeDays":90}',
  ),
  signingSecretArn: resource(
    'CLEARANCE_SIGNING_SECRET_ARN',
    arn('secretsmanager', 'secret:clearance-signing-AbCdEf'),
  ),
  /** The account's default Security Hub product (findings go there); unset when `securityHub` is off. */
  securityHubProductArn: resource(
    'CLEARANCE_SECURITY_HUB_PRODUCT_ARN',
    `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
  ),
  /** `alert` or `stop`: what the deployment watch does about a task from a failing image. */
  runtimeEnforcement: setting('CLEARANCE_RUNTIME_ENFORCEMENT', enforcementMode, 'stop'),
  /** Comma-separated cluster-name globs where `stop` applies. */
  runtimeClusters: setting('CLEARANCE_RUNTIME_CLUSTERS', parseRepositoryGlobs, 'prod-*'),
  /** The runtime exceptions as JSON (shared/deployments/settings.ts). */
  runtimeExceptions: setting(
    'CLEARANCE_RUNTIME_EXCEPTIONS',
    parseRuntimeExceptions,
    '[{"id":"legacy","repositories":["legacy/*"],"owner":"team@example.com","reason":"migrating","expires":"2099-12-31"}]',
  ),
} as const;

export type VariableKey = keyof typeof ENVIRONMENT_VARIABLES;

/** What variable `K` reads as. */
export type VariableValue<K extends VariableKey> = ReturnType<
  (typeof ENVIRONMENT_VARIABLES)[K]['parse']
>;

/** The variables the local runner reads from the template. */
export type SettingKey = {
  [K in VariableKey]: (typeof ENVIRONMENT_VARIABLES)[K]['kind'] extends 'setting' ? K : never;
}[VariableKey];

function resource(name: string, sample: string): EnvironmentVariable<string, 'resource'> {
  return { name, parse: text, kind: 'resource', sample };
}

/** `parse` is given the variable's name, for its messages. */
function setting<T>(
  name: string,
  parse: (text: string, name: string) => T,
  sample: string,
): EnvironmentVariable<T, 'setting'> {
  return { name, parse: (value) => parse(value, name), kind: 'setting', sample };
}

function text(value: string): string {
  return value;
}

/** `"Debian, npm,,"` → `["Debian", "npm"]`. */
function commaList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
}

function arn(service: string, resourceName: string): string {
  return `arn:aws:${service}:${REGION}:${ACCOUNT}:${resourceName}`;
}
