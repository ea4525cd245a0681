import {
  ENVIRONMENT_VARIABLES,
  type EnvironmentVariable,
  type SettingKey,
  type VariableKey,
  type VariableValue,
} from './environment-variables';
import { PipelineError } from '../pipeline';

/*
 * Which variables each Lambda function has, declared once: the CDK app sets exactly these
 * (lib/function-environment.ts; a required one the stack has no value for fails the synth), the
 * function reads them at cold start (`lambdaEnvironment` in shared/aws/lambda/runtime.ts), the
 * local runner reads the settings among them from the template (`templateSettings`), and the
 * bench fakes them from their samples. The order is the order of the template's variables.
 */

/** The folders under `functions/`: one Lambda function each. */
export const FUNCTION_NAMES = [
  'start-scan',
  'resolve',
  'analyze-layer',
  'assemble',
  'match',
  'evaluate',
  'record',
  'publish-findings',
  'sign-verdict',
  'promote',
  'quarantine',
  'notify',
  'record-failure',
  'fleet-enumerate',
  'fleet-scan-item',
  'fleet-summarize',
  'posture-scan',
  'sync-vulnerability-data',
  'rotate-secret',
  'audit-anchor',
  'deployment-watch',
] as const;
export type FunctionName = (typeof FUNCTION_NAMES)[number];

/**
 * `required`: unset (or empty) fails the cold start, by name; `optional`: unset reads as
 * undefined; `{default}`: unset reads as this text would.
 */
export type Requirement = 'required' | 'optional' | { readonly default: string };
export type Declaration = { readonly [K in VariableKey]?: Requirement };

export const FUNCTION_ENVIRONMENT = {
  'start-scan': {
    imagesTable: 'required',
    auditTable: 'required',
    repositories: 'required',
    triggerWindowSeconds: 'required',
    indexWaitSeconds: 'required',
    scanStateMachineArn: 'required',
    // Both set when publishEvents is on: `Clearance Artifact Skipped`, each once.
    idempotencyTable: 'optional',
    eventBus: 'optional',
  },
  resolve: { bucket: 'required', imagesTable: 'required', auditTable: 'required' },
  'analyze-layer': { bucket: 'required' },
  assemble: { bucket: 'required' },
  match: { bucket: 'required', vulnerabilityTable: 'required' },
  evaluate: {
    bucket: 'required',
    policy: 'required',
    signatureKeys: 'optional',
    maxDataAgeHours: 'optional',
    acceptGaps: 'optional',
  },
  record: { bucket: 'required', imagesTable: 'required', auditTable: 'required' },
  // Only with `securityHub` on: reads the final reports, imports their findings; a deleted
  // image's verdict (its platforms) from the images table, to archive its findings.
  'publish-findings': {
    bucket: 'required',
    imagesTable: 'required',
    securityHubProductArn: 'required',
  },
  'sign-verdict': {
    bucket: 'required',
    imagesTable: 'required',
    triggerWindowSeconds: 'required',
    signingSecretArn: 'required',
  },
  promote: {
    imagesTable: 'required',
    auditTable: 'required',
    triggerWindowSeconds: 'required',
    promotionRepository: 'required',
    promotionTag: { default: '{tag}' },
  },
  quarantine: {
    imagesTable: 'required',
    auditTable: 'required',
    triggerWindowSeconds: 'required',
    quarantine: 'required',
  },
  notify: {
    bucket: 'required',
    idempotencyTable: 'required',
    alertsTopicArn: 'required',
    operationsTopicArn: 'required',
    // @default - no events (publishEvents off)
    eventBus: 'optional',
  },
  'record-failure': { auditTable: 'required' },
  'fleet-enumerate': {
    bucket: 'required',
    repositories: 'required',
    // Its copies of watched images are left out; none when nothing is promoted.
    promotionRepository: 'optional',
  },
  'fleet-scan-item': {
    bucket: 'required',
    imagesTable: 'required',
    auditTable: 'required',
    vulnerabilityTable: 'required',
    policy: 'required',
    maxDataAgeHours: 'optional',
    acceptGaps: 'optional',
    // Whether keys are configured, for a re-check that verifies no signature itself.
    signatureKeys: 'optional',
    // Set when `securityHub` is on: the re-checked findings are published there too.
    securityHubProductArn: 'optional',
    // Both set when publishEvents is on: a changed verdict's `Clearance Scan Verdict`, once.
    idempotencyTable: 'optional',
    eventBus: 'optional',
  },
  'fleet-summarize': {
    bucket: 'required',
    auditTable: 'required',
    idempotencyTable: 'required',
    alertsTopicArn: 'required',
    // The secret hygiene check runs where the stack configured it.
    secretHygiene: 'optional',
  },
  // The watched repositories' globs: the registry posture reads those repositories only.
  'posture-scan': { bucket: 'required', imagesTable: 'required', repositories: 'required' },
  'sync-vulnerability-data': {
    auditTable: 'required',
    vulnerabilityTable: 'required',
    // @default - DEFAULT_ECOSYSTEMS (shared/vulndb/update.ts)
    ecosystems: 'optional',
    // @default - Amazon's CDN
    alasBaseUrl: 'optional',
    // @default - CISA's feed, FIRST's current scores
    kevUrl: 'optional',
    epssUrl: 'optional',
  },
  'rotate-secret': { bucket: 'required', auditTable: 'required' },
  'audit-anchor': { auditTable: 'required', anchorsBucket: 'required' },
  'deployment-watch': {
    imagesTable: 'required',
    auditTable: 'required',
    idempotencyTable: 'required',
    alertsTopicArn: 'required',
    runtimeEnforcement: { default: 'alert' },
    // @default - every cluster (`*`)
    runtimeClusters: { default: '*' },
    // @default - no exception
    runtimeExceptions: { default: '[]' },
    // @default - no events (publishEvents off)
    eventBus: 'optional',
  },
} as const satisfies Record<FunctionName, Declaration>;

/** What a declaration reads as: each variable's value, undefined for an unset optional one. */
export type EnvironmentOf<D extends Declaration> = {
  readonly [K in keyof D & VariableKey]: D[K] extends 'optional'
    ? VariableValue<K> | undefined
    : VariableValue<K>;
};

/** What function `N` reads at cold start. */
export type FunctionEnvironment<N extends FunctionName> = EnvironmentOf<
  (typeof FUNCTION_ENVIRONMENT)[N]
>;

/** The settings among them, as the local runner reads them from the template. */
export type FunctionSettings<N extends FunctionName> = EnvironmentOf<
  Pick<(typeof FUNCTION_ENVIRONMENT)[N], keyof (typeof FUNCTION_ENVIRONMENT)[N] & SettingKey>
>;

/** A variable's text, or undefined when it is unset; `readEnvironment` takes an empty text as unset too. */
export type Lookup = (name: string) => string | undefined;

/** The variables `declaration` lists, read through `lookup` and parsed, in its order. */
export function readEnvironment<D extends Declaration>(
  declaration: D,
  lookup: Lookup,
): EnvironmentOf<D> {
  const values: Record<string, unknown> = {};
  for (const [key, requirement] of Object.entries(declaration) as [VariableKey, Requirement][])
    values[key] = readVariable(ENVIRONMENT_VARIABLES[key], requirement, lookup);
  return values as EnvironmentOf<D>;
}

/**
 * The settings of function `name` in `environment`, the variables the template gives it (its
 * resources are the local runner's stand-ins), with the parsers and defaults of its cold start.
 */
export function templateSettings<N extends FunctionName>(
  name: N,
  environment: Readonly<Record<string, string>>,
): FunctionSettings<N> {
  const settings = Object.fromEntries(
    Object.entries(FUNCTION_ENVIRONMENT[name]).filter(
      ([key]) => ENVIRONMENT_VARIABLES[key as VariableKey].kind === 'setting',
    ),
  ) as Declaration;
  // Trimmed, as the functions read them (Powertools' getStringFromEnv).
  return readEnvironment(settings, (variable) => environment[variable]?.trim());
}

function readVariable(
  variable: EnvironmentVariable<unknown>,
  requirement: Requirement,
  lookup: Lookup,
): unknown {
  const text = lookup(variable.name);
  if (text !== undefined && text !== '') return variable.parse(text);
  if (typeof requirement === 'object') return variable.parse(requirement.default);
  if (requirement === 'required')
    throw new PipelineError('MISCONFIGURED', `environment variable ${variable.name} is not set`);
  return undefined;
}
