import { ANALYZERS, listingsOf, type AnalyzedImage, type Analyzer } from '../analyzers';
import { IMAGE_CHECKS, checkContext, runChecks } from '../checks';
import { complianceReport, type FrameworkId } from '../compliance';
import {
  ACCEPT_NOTHING,
  acceptByFlags,
  coverageOf,
  identityGaps,
  imageGaps,
  reportCoverage,
  type CoverageExpectations,
  type GapAcceptance,
} from '../coverage';
import type { Digest } from '../image';
import type { PlatformImage } from '../image';
import { assembleInventory } from '../inventory';
import type { Inventory } from '../inventory';
import { mergeLayers } from '../layers';
import type { MatchProblem } from '../match';
import { matchInventory } from '../match';
import type { Detection } from '../match';
import { acceptByPolicy, evaluatePolicy, type Policy } from '../policy';
import { secretsAnalyzer } from '../secrets';
import { assembleSecrets, assembleSensitiveFiles } from '../secrets';
import { SECRET_RULES } from '../secrets';
import { SecretScanner } from '../secrets';
import { sensitiveFilesAnalyzer } from '../secrets';
import {
  checkSignature,
  findSignatures,
  signatureReport,
  type SignatureReport,
  type VerificationKey,
} from '../signatures';
import type { RegistrySource } from '../sources';
import { applySuppressions, type Suppressions } from '../suppress';
import type { DataVersion, VulnerabilityStore } from '../vulndb';
import { goBinariesOf } from './go-binaries';
import { SCAN_SCHEMA_VERSION, type VulnerabilityReport } from '../report';
import type { ScanReport } from './report';

/*
 * The pieces of a scan, shared by `scanPlatform` (the CLI, one process) and the pipeline's
 * steps (Assemble, Match, Evaluate), so that both give the same report for the same image.
 */

/** What vulnerability matching needs; without it a scan reports packages only. */
export interface VulnerabilityOptions {
  readonly store: VulnerabilityStore;
  readonly detection?: Detection;
  readonly suppressions?: Suppressions;
}

/** The analysers a scan runs, and the secret scanner when it searches for secrets. */
export interface ScanAnalyzers {
  readonly analyzers: readonly Analyzer[];
  readonly scanner?: SecretScanner;
}

/** The ecosystem analysers (or `analyzers`), plus secrets and sensitive files when `secrets`. */
export function scanAnalyzers(options: {
  readonly analyzers?: readonly Analyzer[];
  readonly secrets?: boolean;
}): ScanAnalyzers {
  const base = options.analyzers ?? ANALYZERS;
  if (options.secrets !== true) return { analyzers: base };
  const scanner = new SecretScanner(SECRET_RULES);
  return { analyzers: [...base, secretsAnalyzer(scanner), sensitiveFilesAnalyzer], scanner };
}

/** What {@link imageReport} reads: a platform image and what its layers gave. */
export interface ImageReportInput {
  /** The reference the image was read by, and the digest it resolved to. */
  readonly reference: string;
  readonly digest: Digest;
  readonly image: PlatformImage;
  readonly analyzed: AnalyzedImage;
  /** Today, for end-of-life status. */
  readonly today: Date;
  /** Searches the layers and the config for secrets, when given. */
  readonly scanner?: SecretScanner;
  /** Runs the image configuration checks. */
  readonly checks: boolean;
}

/** The part of a report the image alone decides: inventory, secrets, sensitive files, checks. */
export function imageReport(input: ImageReportInput): ScanReport {
  const { image, analyzed, scanner } = input;
  const tree = mergeLayers(listingsOf(analyzed));
  const inventory = assembleInventory(analyzed, { today: input.today, tree });
  const secrets = scanner && {
    secrets: assembleSecrets(analyzed, image.config, scanner),
    sensitiveFiles: assembleSensitiveFiles(analyzed),
  };
  const context = () =>
    checkContext({
      reference: input.reference,
      image,
      analyzed,
      inventory,
      files: tree,
      ...secrets,
    });
  const goBinaries = goBinariesOf(analyzed, tree);
  return {
    schemaVersion: SCAN_SCHEMA_VERSION,
    image: {
      reference: input.reference,
      digest: input.digest,
      platform: image.platform,
      manifestDigest: image.digest,
    },
    ...inventory,
    ...(goBinaries.length > 0 && { goBinaries }),
    coverage: coverageOf([...imageGaps(analyzed, tree), ...identityGaps(inventory.packages)]),
    ...secrets,
    ...(input.checks && { checks: runChecks(IMAGE_CHECKS, context()) }),
  };
}

/**
 * The inventory's findings in `options.store`, suppressions applied, with the data's version.
 * Go findings are judged by the report's Go binaries and, failing theirs, the image's platform.
 */
export async function vulnerabilityReport(
  inventory: Inventory & Partial<Pick<ScanReport, 'goBinaries' | 'image'>>,
  options: VulnerabilityOptions,
  today: Date,
): Promise<VulnerabilityReport> {
  const matched = await matchInventory(inventory, options.store, {
    ...(options.detection && { detection: options.detection }),
    ...(inventory.goBinaries && { goBinaries: inventory.goBinaries }),
    ...(inventory.image && { platform: inventory.image.platform }),
  });
  const suppressed = applySuppressions(
    matched.findings,
    options.suppressions ?? { vex: [], ignores: [] },
    today,
  );
  const version = await options.store.dataVersion();
  return {
    vulnerabilities: suppressed.findings,
    database: {
      version: version.contentHash,
      updatedAt: version.updatedAt,
      newestModified: version.newestModified,
      ...(version.kev && { kev: version.kev }),
      ...(version.epss && { epss: version.epss }),
    },
    vulnerabilityProblems: [...matched.problems, ...withoutAdvisories(matched.ecosystems, version)],
    expiredIgnores: suppressed.expiredIgnores,
  };
}

/**
 * The ecosystems the image has packages of and the data holds no advisory for: "no finding"
 * there means nobody looked (an Amazon Linux image against OSV data, a Debian image against a
 * store of npm advisories), so each is a problem, and a coverage gap.
 */
function withoutAdvisories(
  looked: Readonly<Record<string, number>>,
  version: DataVersion,
): MatchProblem[] {
  return Object.entries(looked)
    .filter(([ecosystem]) => !((version.ecosystems[ecosystem] ?? 0) > 0))
    .map(([ecosystem, packages]) => ({
      kind: 'no-advisory-source',
      ecosystem,
      packages,
      reason: `the vulnerability data holds no ${ecosystem} advisories: ${packages} ${packages === 1 ? 'package' : 'packages'} not checked`,
    }));
}

/** The report without its vulnerability part (to match it again). */
export function withoutVulnerabilities(report: ScanReport): ScanReport {
  const rest: Partial<Record<keyof ScanReport, unknown>> = { ...report };
  for (const key of VULNERABILITY_KEYS) delete rest[key];
  return rest as ScanReport;
}

/**
 * The cosign signatures of a platform image: those of the digest the reference resolved to (a
 * multi-platform index is signed as a whole) and those of the platform's own manifest.
 */
export async function verifySignatures(
  source: RegistrySource,
  digests: readonly string[],
  keys: readonly VerificationKey[],
): Promise<SignatureReport> {
  const checks = [];
  for (const digest of new Set(digests))
    for (const signature of await findSignatures(source, digest))
      checks.push(checkSignature(signature, keys, digest));
  return signatureReport(checks);
}

/** What judges a finished report: what it was meant to check, a compliance framework, a policy. */
export interface Judgement {
  readonly today: Date;
  /** What the scan was meant to check: what it did not is a coverage gap. */
  readonly expect: Omit<CoverageExpectations, 'now'>;
  /** Gaps accepted on the command line. @default - none */
  readonly accept?: GapAcceptance;
  readonly compliance?: FrameworkId;
  readonly policy?: Policy;
}

/**
 * The report with its coverage (gaps accepted by the command line, then by the policy's
 * exceptions), its compliance report and the policy's verdict, as asked. A verdict fails on a
 * gap nobody accepted, whatever the policy's rules say.
 */
export function judgedReport(report: ScanReport, judgement: Judgement): ScanReport {
  const { today, policy } = judgement;
  const flagged = acceptByFlags(
    reportCoverage(report, { ...judgement.expect, now: today }),
    judgement.accept ?? ACCEPT_NOTHING,
  );
  const covered = inReportOrder({
    ...report,
    coverage: policy ? acceptByPolicy(policy, { ...report, coverage: flagged }, today) : flagged,
  });
  return {
    ...covered,
    ...(judgement.compliance && { compliance: complianceReport(covered, judgement.compliance) }),
    ...(policy && { verdict: evaluatePolicy(policy, covered, today) }),
  };
}

const VULNERABILITY_KEYS = [
  'vulnerabilities',
  'database',
  'vulnerabilityProblems',
  'expiredIgnores',
] as const satisfies readonly (keyof VulnerabilityReport)[];

/** The order a report's parts are written in, whichever step added them. */
const REPORT_ORDER: readonly (keyof ScanReport)[] = [
  'schemaVersion',
  'image',
  'coverage',
  'os',
  'packages',
  'problems',
  'goBinaries',
  'secrets',
  'sensitiveFiles',
  'signature',
  'checks',
  ...VULNERABILITY_KEYS,
  'compliance',
  'verdict',
];

/** The report with its parts in the documented order (others after them), for stable JSON. */
export function inReportOrder(report: ScanReport): ScanReport {
  const ordered: Record<string, unknown> = {};
  for (const key of REPORT_ORDER) if (report[key] !== undefined) ordered[key] = null;
  return Object.assign(ordered, report);
}
