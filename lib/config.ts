import type { FunctionName } from './function-specs';

/*
 * What a platform team configures: the stack's props, also read from the `clearance` object of
 * `cdk.json`'s context (or `-c clearance='{"repositories":["team-a/*"]}'`). Every field is
 * optional; `@default` says what happens without it.
 */

/** Where the policy that Evaluate applies comes from. */
export type PolicySource =
  /** The policy bundled with the engine (shared/policy/default-policy.ts). */
  | { readonly kind: 'default' }
  /** A YAML file of this checkout, uploaded as an S3 asset at deploy time. */
  | { readonly kind: 'file'; readonly path: string }
  /** An object the team maintains in its own bucket (read at cold start). */
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string };

/** Where passing images are copied. */
export interface PromotionTarget {
  /** The release repository (same account and region). */
  readonly repository: string;
  /**
   * The tag written there; `{tag}` and `{digest12}` are substituted.
   * @default '{tag}' - the pushed tag, or the first 12 hex digits of the digest when untagged
   */
  readonly tagPattern?: string;
}

/**
 * A team that hears only of its own repositories, or only of the severities it chose, or both
 * (an e-mail subscription to the alerts topic with a filter policy).
 */
export interface TeamSubscription {
  readonly email: string;
  /**
   * Repository-name prefixes the team owns (the `repository` message attribute).
   * @default - every repository (then `severities` is required)
   */
  readonly repositoryPrefixes?: readonly string[];
  /**
   * Worst severities the team wants to hear of (the `maxSeverity` message attribute: the
   * highest severity of a vulnerability found, `critical` … `unknown`, or `none`; any case).
   * A verdict that fails without vulnerabilities (a secret, a check) has `none`.
   * @default - every verdict notification of its repositories, whatever its severity
   */
  readonly severities?: readonly string[];
}

/** Memory, timeout and concurrency of one function, overriding the measured defaults. */
export interface FunctionSizing {
  /** @default - the function's own default (lib/function-specs.ts) */
  readonly memoryMiB?: number;
  /** @default - the function's own default (lib/function-specs.ts) */
  readonly timeoutSeconds?: number;
  /** @default - no reservation: the function shares the account's unreserved concurrency */
  readonly reservedConcurrency?: number;
}

export interface ClearanceConfig {
  /**
   * Repositories to watch, as globs of ECR repository names (`team-a/*`); `*` is every one.
   * @default ['*'] - every repository of the account and region
   */
  readonly repositories?: readonly string[];
  /**
   * When the fleet re-check runs (EventBridge Scheduler expression, UTC).
   * @default 'cron(0 3 * * ? *)' - every night at 03:00 UTC
   */
  readonly fleetSchedule?: string;
  /**
   * When the vulnerability data is synchronised (EventBridge Scheduler expression).
   * @default 'rate(4 hours)'
   */
  readonly syncSchedule?: string;
  /** @default - no e-mail subscription to the alerts topic */
  readonly alertEmails?: readonly string[];
  /** @default - no e-mail subscription to the operations topic */
  readonly operationsEmails?: readonly string[];
  /** @default - no per-team subscription */
  readonly teamSubscriptions?: readonly TeamSubscription[];
  /** @default { kind: 'default' } - the policy bundled with the engine */
  readonly policy?: PolicySource;
  /** @default - passing images are not copied anywhere */
  readonly promotion?: PromotionTarget;
  /**
   * What happens to a failing image: `record` blocks it in the images table, `tag` also adds a
   * `quarantine-…` tag in its repository.
   * @default 'record'
   */
  readonly quarantine?: 'record' | 'tag';
  /** @default - every ecosystem the matcher supports (shared/vulndb/update.ts) */
  readonly ecosystems?: readonly string[];
  /**
   * Where the sync reads Amazon Linux's mirror lists for the `Amazon Linux:*` ecosystems (a
   * mirror of the repository CDN's layout), as `CLEARANCE_ALAS_BASE_URL`.
   * @default - Amazon's repository CDN (shared/vulndb/alas/fetch.ts)
   */
  readonly alasBaseUrl?: string;
  /**
   * Where the sync fetches CISA's Known Exploited Vulnerabilities catalog (JSON), as
   * `CLEARANCE_KEV_URL`: a mirror for accounts without internet egress.
   * @default - CISA's feed (shared/priority/kev.ts)
   */
  readonly kevUrl?: string;
  /**
   * Where the sync fetches FIRST's EPSS scores (`.csv` or `.csv.gz`), as `CLEARANCE_EPSS_URL`.
   * @default - the published current scores (shared/priority/epss.ts)
   */
  readonly epssUrl?: string;
  /**
   * Keys that sign images (`awskms://ARN`); Evaluate verifies cosign signatures with them.
   * @default - signatures are not checked
   */
  readonly signatureKeys?: readonly string[];
  /** Sizes by function folder name (`analyze-layer`). @default - each function's own default */
  readonly functions?: Readonly<Partial<Record<FunctionName, FunctionSizing>>>;
  /**
   * Layers of one platform analysed at once (the AnalyzeLayers Map's MaxConcurrency).
   * @default 8
   */
  readonly layerConcurrency?: number;
  /**
   * Images of the fleet checked at once (the Distributed Map's MaxConcurrency).
   * @default 50
   */
  readonly fleetMaxConcurrency?: number;
  /**
   * Share of fleet items that may fail before the run fails.
   * @default 5
   */
  readonly fleetToleratedFailurePercentage?: number;
  /**
   * Duplicate push events of one repository+digest within this window start one scan.
   * @default 3600
   */
  readonly triggerWindowSeconds?: number;
  /**
   * How long the scan of an untagged manifest waits for the index it may be a platform of (ECR
   * sends one event per manifest of a multi-platform push, in any order; the index's scan
   * covers its platforms, so they start nothing of their own).
   * @default 60
   */
  readonly indexWaitSeconds?: number;
  /**
   * Vulnerability data whose newest advisory is older than this many hours is a coverage gap:
   * every verdict fails until the data is synced again (or the gap is accepted).
   * @default 120 - as Grype's max-allowed-built-age
   */
  readonly maxDataAgeHours?: number;
  /**
   * Coverage gaps accepted for every image (`no-advisory-source:amzn *`, `stale-data`, or `*`
   * for all): a verdict then passes what was not checked, saying so. Prefer a policy exception
   * (scope: { coverage: … }), which has an owner and an expiry.
   * @default [] - every gap fails the verdict
   */
  readonly acceptGaps?: readonly string[];
  /**
   * How long logs are kept, in days (a value CloudWatch Logs accepts).
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * How long scan objects (`scans/`: reports, SBOMs, summaries) are kept, in days.
   * @default 400 - a year of audits plus a margin
   */
  readonly scanRetentionDays?: number;
  /**
   * How long a cached layer report lives, in days; an expired one is made again on next use.
   * @default 90
   */
  readonly layerReportRetentionDays?: number;
  /**
   * The VulnerabilityDataAgeHours alarm fires above this age, and when no sync reported the age
   * for one interval of `syncSchedule` and an hour (over this many hours when the schedule's
   * interval cannot be read: not every day alike, or `at(…)`).
   * @default 24 - a day behind the OSV data
   */
  readonly dataAgeAlarmHours?: number;
  /**
   * Days between rotations of the verdict signing key (Secrets Manager allows 1 to 1,000).
   * @default 30
   */
  readonly signingKeyRotationDays?: number;
  /**
   * When the audit chain's head is anchored in the Object Lock bucket (EventBridge Scheduler
   * expression).
   * @default 'rate(1 hour)'
   */
  readonly auditAnchorSchedule?: string;
  /**
   * How long each audit anchor is locked against deletion and overwrite, in days.
   * @default 400 - a year of audits plus a margin
   */
  readonly auditAnchorRetentionDays?: number;
  /**
   * The anchors' Object Lock mode: `COMPLIANCE` (nobody, the account's root included, can
   * remove an anchor before its retention ends) or `GOVERNANCE` (principals granted
   * `s3:BypassGovernanceRetention` can).
   * @default 'COMPLIANCE'
   */
  readonly auditAnchorLockMode?: 'COMPLIANCE' | 'GOVERNANCE';
  /**
   * The nightly secret hygiene check: which secrets of the account it looks at (all filters
   * given must match; `namePrefix` as ListSecrets' `name` filter) and after how many days
   * without rotation a secret is reported.
   * @default {} - every secret of the account and region, reported after 90 days
   */
  readonly secretHygiene?: SecretHygieneConfig;
  /**
   * What the deployment watch does about an ECS task started from an image whose verdict is
   * fail or unknown (every RUNNING task is recorded as `image.deployed` either way): `alert`
   * tells the alerts topic; `stop` also stops the task (`ecs:StopTask`, granted only then).
   * @default 'alert'
   */
  readonly runtimeEnforcement?: 'alert' | 'stop';
  /**
   * Cluster names (globs) where `stop` applies; tasks elsewhere are recorded and alerted only.
   * Anything but `*` also narrows the StopTask grant to these clusters (an `ecs:cluster`
   * condition).
   * @default ['*'] - every cluster of the account and region
   */
  readonly runtimeClusters?: readonly string[];
  /**
   * Deployments that `stop` only alerts on, by repository and/or cluster (globs), each with an
   * owner, a reason and an expiry day; an expired one applies to nothing and is recorded as
   * `exception.expired`.
   * @default [] - no exception
   */
  readonly runtimeExceptions?: readonly RuntimeExceptionConfig[];
  /**
   * Import every finding into the account's Security Hub (the default custom product) after
   * Record and on the nightly re-check, archiving what an image no longer has (README, "Security
   * Hub"). Security Hub must be enabled in the account and region.
   * @default false
   */
  readonly securityHub?: boolean;
  /**
   * Put `Clearance Scan Verdict`, `Clearance Scan Failed`, `Clearance Artifact Skipped`,
   * `Clearance Image Deployed` and `Clearance Deployment Stopped` on the account's default event
   * bus (source `clearance`; README, "Events"), each once; `events:PutEvents` on that bus only.
   * @default true
   */
  readonly publishEvents?: boolean;
}

/** A runtime exception: `stop` turns into an alert for what it covers, until `expires`. */
export interface RuntimeExceptionConfig {
  /** Named in the audit trail's `exception.used`. */
  readonly id: string;
  /** Repository names or globs of the image (`legacy/*`). @default - every repository */
  readonly repositories?: readonly string[];
  /** Cluster names or globs (`batch-*`). @default - every cluster (one of the two is given) */
  readonly clusters?: readonly string[];
  readonly owner: string;
  readonly reason: string;
  /** The last day it applies, `YYYY-MM-DD` (UTC). */
  readonly expires: string;
}

/** Which secrets the hygiene check reports on, and when one counts as not rotated. */
export interface SecretHygieneConfig {
  /** @default - any tag */
  readonly tagKey?: string;
  /** @default - any tag value */
  readonly tagValue?: string;
  /** @default - any name */
  readonly namePrefix?: string;
  /** @default 90 */
  readonly maxAgeDays?: number;
}

/** The configuration with every default applied. */
export type ResolvedConfig = Required<
  Omit<
    ClearanceConfig,
    'promotion' | 'ecosystems' | 'alasBaseUrl' | 'kevUrl' | 'epssUrl' | 'signatureKeys'
  >
> &
  Pick<
    ClearanceConfig,
    'promotion' | 'ecosystems' | 'alasBaseUrl' | 'kevUrl' | 'epssUrl' | 'signatureKeys'
  >;

export const DEFAULT_CONFIG = {
  repositories: ['*'],
  fleetSchedule: 'cron(0 3 * * ? *)',
  syncSchedule: 'rate(4 hours)',
  alertEmails: [],
  operationsEmails: [],
  teamSubscriptions: [],
  policy: { kind: 'default' },
  quarantine: 'record',
  functions: {},
  layerConcurrency: 8,
  fleetMaxConcurrency: 50,
  fleetToleratedFailurePercentage: 5,
  triggerWindowSeconds: 3600,
  indexWaitSeconds: 60,
  maxDataAgeHours: 120,
  acceptGaps: [],
  logRetentionDays: 365,
  scanRetentionDays: 400,
  layerReportRetentionDays: 90,
  dataAgeAlarmHours: 24,
  signingKeyRotationDays: 30,
  auditAnchorSchedule: 'rate(1 hour)',
  auditAnchorRetentionDays: 400,
  auditAnchorLockMode: 'COMPLIANCE',
  secretHygiene: {},
  runtimeEnforcement: 'alert',
  runtimeClusters: ['*'],
  runtimeExceptions: [],
  securityHub: false,
  publishEvents: true,
} as const satisfies Omit<
  ResolvedConfig,
  'promotion' | 'ecosystems' | 'alasBaseUrl' | 'kevUrl' | 'epssUrl' | 'signatureKeys'
>;

/** `config` over the defaults. */
export function resolveConfig(config: ClearanceConfig = {}): ResolvedConfig {
  const defined = Object.fromEntries(
    Object.entries(config).filter(([, value]) => value !== undefined),
  ) as ClearanceConfig;
  return { ...DEFAULT_CONFIG, ...defined };
}
