import type { Node } from 'constructs';
import { z } from 'zod/v4';
import { GAP_KINDS } from '../shared/coverage';
import type { ClearanceConfig } from './config';
import { FUNCTION_NAMES } from './function-specs';

/** The context key of the configuration: an object in `cdk.json`, or JSON text from `-c`. */
export const CONFIG_CONTEXT_KEY = 'clearance';

const names = z.array(z.string().min(1));
const positive = z.number().int().positive();

/** The shape of `ClearanceConfig` (lib/config.ts documents each field); unknown keys refused. */
const ConfigSchema = z
  .object({
    repositories: names.min(1),
    fleetSchedule: z.string().min(1),
    syncSchedule: z.string().min(1),
    alertEmails: names,
    operationsEmails: names,
    teamSubscriptions: z.array(
      z.strictObject({
        email: z.string().min(1),
        repositoryPrefixes: names.min(1).optional(),
        severities: names.optional(),
      }),
    ),
    policy: z.discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('default') }),
      z.strictObject({ kind: z.literal('file'), path: z.string().min(1) }),
      z.strictObject({ kind: z.literal('s3'), bucket: z.string().min(1), key: z.string().min(1) }),
    ]),
    promotion: z.strictObject({
      repository: z.string().min(1),
      tagPattern: z.string().min(1).optional(),
    }),
    quarantine: z.enum(['record', 'tag']),
    ecosystems: names.min(1),
    alasBaseUrl: z.url({ protocol: /^https?$/ }),
    kevUrl: z.url({ protocol: /^https?$/ }),
    epssUrl: z.url({ protocol: /^https?$/ }),
    signatureKeys: z.array(z.string().regex(/^awskms:\/\/arn:/, 'awskms://<key ARN>')),
    functions: z.partialRecord(
      z.enum(FUNCTION_NAMES),
      z.strictObject({
        memoryMiB: z.number().int().min(128).max(10240).optional(),
        timeoutSeconds: z.number().int().min(1).max(900).optional(),
        reservedConcurrency: z.number().int().nonnegative().optional(),
      }),
    ),
    layerConcurrency: positive,
    fleetMaxConcurrency: positive,
    fleetToleratedFailurePercentage: z.number().min(0).max(100),
    triggerWindowSeconds: z.number().int().min(1).max(86_400),
    indexWaitSeconds: z.number().int().min(1).max(3600),
    maxDataAgeHours: positive,
    acceptGaps: z.array(
      z
        .string()
        .min(1)
        .refine((p) => p === '*' || isGapPattern(p), 'a gap kind, KIND:SUBJECT, or *'),
    ),
    logRetentionDays: positive,
    scanRetentionDays: positive,
    layerReportRetentionDays: positive,
    dataAgeAlarmHours: positive,
    signingKeyRotationDays: z.number().int().min(1).max(1000),
    auditAnchorSchedule: z.string().min(1),
    auditAnchorRetentionDays: positive,
    auditAnchorLockMode: z.enum(['COMPLIANCE', 'GOVERNANCE']),
    secretHygiene: z.strictObject({
      tagKey: z.string().min(1).optional(),
      tagValue: z.string().min(1).optional(),
      namePrefix: z.string().min(1).optional(),
      maxAgeDays: positive.optional(),
    }),
    runtimeEnforcement: z.enum(['alert', 'stop']),
    runtimeClusters: names.min(1),
    runtimeExceptions: z
      .array(
        z
          .strictObject({
            id: z.string().min(1),
            repositories: names.min(1).optional(),
            clusters: names.min(1).optional(),
            owner: z.string().min(1),
            reason: z.string().min(1),
            expires: z.iso.date(),
          })
          .refine((e) => e.repositories !== undefined || e.clusters !== undefined, {
            message: 'names no repositories and no clusters',
          }),
      )
      .refine(
        (all) => new Set(all.map((e) => e.id)).size === all.length,
        'an exception id is used twice',
      ),
    securityHub: z.boolean(),
    publishEvents: z.boolean(),
  })
  .partial()
  .strict();

/**
 * The configuration in the `clearance` context (an object, or its JSON text), checked: a wrong
 * or unknown field fails the synth with its path.
 */
export function configFromContext(node: Node): ClearanceConfig {
  const raw: unknown = node.tryGetContext(CONFIG_CONTEXT_KEY);
  if (raw === undefined) return {};
  const value: unknown = typeof raw === 'string' ? JSON.parse(raw) : raw;
  const parsed = ConfigSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(`context "${CONFIG_CONTEXT_KEY}": ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** `kind` or `kind:subject` with a kind of coverage gap there is (shared/coverage/accept.ts). */
function isGapPattern(pattern: string): boolean {
  const kind = pattern.split(':', 1)[0]!;
  return (GAP_KINDS as readonly string[]).includes(kind);
}
