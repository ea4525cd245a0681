/** What a function's entry module exports. */
export interface EntryModule {
  readonly handler: unknown;
}

/**
 * Loads `functions/<name>/index.ts` afresh, as a Lambda cold start does, with exactly `env` as
 * the CLEARANCE_ variables (the others of the process are left alone): the module, or what it
 * threw while it loaded.
 */
export function coldStart(name: string, env: Readonly<Record<string, string>>): EntryModule {
  const saved = { ...process.env };
  for (const key of Object.keys(process.env))
    if (key.startsWith('CLEARANCE_')) delete process.env[key];
  Object.assign(process.env, { AWS_REGION: 'eu-west-1', ...env });
  try {
    let loaded: EntryModule | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      loaded = require(`../../functions/${name}/index`) as EntryModule;
    });
    return loaded!;
  } finally {
    process.env = saved;
  }
}

/** The environment the CDK stack gives the functions (fake names and ARNs). */
export const FUNCTION_ENV = {
  CLEARANCE_BUCKET: 'clearance-artifacts-123456789012',
  CLEARANCE_IMAGES_TABLE: 'clearance-images',
  CLEARANCE_AUDIT_TABLE: 'clearance-audit',
  CLEARANCE_IDEMPOTENCY_TABLE: 'clearance-idempotency',
  CLEARANCE_ALERTS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:clearance-alerts',
  CLEARANCE_OPERATIONS_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:clearance-operations',
  CLEARANCE_PROMOTION_REPOSITORY: 'release/api',
  CLEARANCE_PROMOTION_TAG: '{tag}',
  CLEARANCE_QUARANTINE: 'tag',
  CLEARANCE_TRIGGER_WINDOW_SECONDS: '300',
  CLEARANCE_INDEX_WAIT_SECONDS: '60',
  CLEARANCE_REPOSITORIES: 'payments/*',
  CLEARANCE_SCAN_STATE_MACHINE_ARN:
    'arn:aws:states:eu-west-1:123456789012:stateMachine:ClearanceScanImage',
} as const;

/** `env` without `name`. */
export function without(
  env: Readonly<Record<string, string>>,
  name: string,
): Record<string, string> {
  const { [name]: _, ...rest } = env;
  return rest;
}
