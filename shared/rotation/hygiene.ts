import { isClearanceError, messageOf } from '../core';
import type { AuditEvent, AuditLog } from '../audit';

/*
 * Secret hygiene, checked by the nightly fleet run: the account's secrets (those the filter
 * selects) without rotation, not rotated within `maxAgeDays`, or encrypted with the AWS managed
 * key instead of a customer-managed one. Findings go to the fleet digest and, one event each,
 * to the audit trail. Reads metadata only (ListSecrets), never a value.
 */

/** What ListSecrets says of a secret. */
export interface SecretSummary {
  readonly arn: string;
  readonly name: string;
  readonly rotationEnabled: boolean;
  readonly lastRotatedDate?: Date;
  readonly lastChangedDate?: Date;
  readonly createdDate?: Date;
  /** Absent when the secret uses the AWS managed key `aws/secretsmanager`. */
  readonly kmsKeyId?: string;
}

/** Which secrets to check: by tag (key, and value) and/or name prefix; none = every secret. */
export interface SecretFilter {
  readonly tagKey?: string;
  readonly tagValue?: string;
  readonly namePrefix?: string;
}

/** Lists secrets' metadata, every page. Adapter: shared/aws/secrets-manager/secret-store.ts. */
export interface SecretLister {
  listSecrets(filter: SecretFilter): Promise<SecretSummary[]>;
}

export interface HygieneSettings {
  readonly filter: SecretFilter;
  /** A secret not rotated (or changed) within this many days is reported. */
  readonly maxAgeDays: number;
}

/** Days after which a secret counts as not rotated, when none is configured. */
export const DEFAULT_SECRET_MAX_AGE_DAYS = 90;

export type HygieneFindingKind = 'rotation-disabled' | 'rotation-overdue' | 'aws-managed-key';

export interface HygieneFinding {
  readonly secretArn: string;
  readonly secretName: string;
  readonly finding: HygieneFindingKind;
  /** What was found, for a person (dates, the key). */
  readonly detail: string;
}

/** The hygiene part of the fleet summary. */
export interface SecretHygieneReport {
  readonly checked: number;
  readonly maxAgeDays: number;
  readonly findings: readonly HygieneFinding[];
  /** Why the secrets could not be listed (denied, misconfigured); the rest of the run goes on. */
  readonly error?: string;
}

/** The check the fleet run calls: lists, judges, records the findings, reports. */
export type SecretHygieneCheck = (runId: string, now: Date) => Promise<SecretHygieneReport>;

export interface SecretHygieneDeps {
  readonly lister: SecretLister;
  readonly settings: HygieneSettings;
  /** @default - findings only in the report */
  readonly audit?: AuditLog;
}

const DAY_MS = 86_400_000;
/** The AWS managed key of Secrets Manager, by alias name or alias ARN. */
const AWS_MANAGED_KEY = /(^|:)alias\/aws\/secretsmanager$/;

/**
 * The hygiene check over `deps`: a listing that fails for good (denied, misconfigured) becomes
 * the report's `error`; a transient failure is thrown so the step is retried. Audit event ids
 * are the run's, the secret's and the finding's, so a retried run records each once.
 */
export function secretHygiene(deps: SecretHygieneDeps): SecretHygieneCheck {
  return async (runId, now) => {
    const { maxAgeDays } = deps.settings;
    let secrets: SecretSummary[];
    try {
      secrets = await deps.lister.listSecrets(deps.settings.filter);
    } catch (error) {
      if (isClearanceError(error) && error.kind === 'transient') throw error;
      return { checked: 0, maxAgeDays, findings: [], error: messageOf(error) };
    }
    const findings = hygieneFindings(secrets, deps.settings, now);
    await deps.audit?.append(findings.map((f) => hygieneAuditEvent(f, runId, now)));
    return { checked: secrets.length, maxAgeDays, findings };
  };
}

/** Every finding about `secrets` at `now`, sorted by secret name and finding (pure). */
export function hygieneFindings(
  secrets: readonly SecretSummary[],
  settings: Pick<HygieneSettings, 'maxAgeDays'>,
  now: Date,
): HygieneFinding[] {
  return secrets
    .flatMap((secret) => findingsOf(secret, settings.maxAgeDays, now))
    .sort((a, b) => compare(a.secretName, b.secretName) || compare(a.finding, b.finding));
}

function findingsOf(secret: SecretSummary, maxAgeDays: number, now: Date): HygieneFinding[] {
  const found = (finding: HygieneFindingKind, detail: string): HygieneFinding => ({
    secretArn: secret.arn,
    secretName: secret.name,
    finding,
    detail,
  });
  const findings: HygieneFinding[] = [];
  if (!secret.rotationEnabled) findings.push(found('rotation-disabled', 'rotation is not enabled'));
  const last = secret.lastRotatedDate ?? secret.lastChangedDate ?? secret.createdDate;
  if (last !== undefined) {
    const days = Math.floor((now.getTime() - last.getTime()) / DAY_MS);
    const what = secret.lastRotatedDate !== undefined ? 'rotated' : 'changed';
    if (days > maxAgeDays)
      findings.push(
        found(
          'rotation-overdue',
          `last ${what} ${last.toISOString().slice(0, 10)} (${days} days ago; expected within ${maxAgeDays})`,
        ),
      );
  }
  if (secret.kmsKeyId === undefined || AWS_MANAGED_KEY.test(secret.kmsKeyId))
    findings.push(
      found('aws-managed-key', 'encrypted with the AWS managed key aws/secretsmanager'),
    );
  return findings;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Who checks hygiene: the nightly fleet run. */
export const HYGIENE_ACTOR = 'schedule';

/** `secret.rotated` with outcome `hygiene-finding`: one per finding of a fleet run, recorded once per run. */
export function hygieneAuditEvent(finding: HygieneFinding, runId: string, time: Date): AuditEvent {
  return {
    id: `fleet-${runId}#${finding.secretArn}#${finding.finding}:secret.rotated`,
    type: 'secret.rotated',
    time: time.toISOString(),
    actor: HYGIENE_ACTOR,
    details: {
      outcome: 'hygiene-finding',
      finding: finding.finding,
      detail: finding.detail,
      secretArn: finding.secretArn,
      secretName: finding.secretName,
      runId,
    },
    versions: {},
  };
}
