import { ANALYZERS, analyzeImage, listingsOf, type Analyzer } from '../analyzers';
import { IMAGE_CHECKS, checkContext, runChecks } from '../checks';
import { complianceReport, type FrameworkId } from '../compliance';
import { evaluatePolicy, type Policy } from '../policy';
import {
  SignatureError,
  checkSignature,
  findSignatures,
  signatureReport,
  type SignatureReport,
  type VerificationKey,
} from '../signatures';
import { RegistrySource } from '../sources/registry-source';
import type { Platform } from '../image/manifest';
import { resolveImage, type PlatformImage, type ResolvedImage } from '../image/resolve';
import type { ImageSource } from '../image/source';
import { assembleInventory } from '../inventory/assemble';
import { mergeLayers } from '../layers/file-tree';
import type { LayerLimits } from '../layers/limits';
import type { Inventory } from '../inventory/package';
import { matchInventory } from '../match/match';
import type { Detection } from '../match/targets';
import { secretsAnalyzer } from '../secrets/analyzer';
import { assembleSecrets, assembleSensitiveFiles } from '../secrets/assemble';
import { SECRET_RULES } from '../secrets/rules';
import { SecretScanner } from '../secrets/scanner';
import { sensitiveFilesAnalyzer } from '../secrets/sensitive-files';
import { applySuppressions, type Suppressions } from '../suppress/apply';
import type { VulnerabilityStore } from '../vulndb/store';
import {
  SCAN_SCHEMA_VERSION,
  type MultiPlatformScanReport,
  type ScanReport,
  type VulnerabilityReport,
} from './report';

/** What vulnerability matching needs; without it a scan reports packages only. */
export interface VulnerabilityOptions {
  readonly store: VulnerabilityStore;
  readonly detection?: Detection;
  readonly suppressions?: Suppressions;
}

export interface ScanOptions {
  readonly platform?: Platform;
  readonly vulnerabilities?: VulnerabilityOptions;
  /** Today, for end-of-life status; injected so reports are reproducible. */
  readonly today: Date;
  readonly analyzers?: readonly Analyzer[];
  readonly limits?: Partial<LayerLimits>;
  /** Search every layer and the config for secrets, and list sensitive files. @default false */
  readonly secrets?: boolean;
  /** Run the image configuration checks. @default false */
  readonly checks?: boolean;
  /** Add a control-by-control report for this framework. @default - none */
  readonly compliance?: FrameworkId;
  /** Judge the report under this policy and add the verdict. @default - no verdict */
  readonly policy?: Policy;
  /**
   * Verify cosign signatures with these keys (registry images only).
   * @default - signatures are not looked for
   */
  readonly signatureKeys?: readonly VerificationKey[];
}

/** Scans every platform image a source resolves to (one, with `platform`). */
export async function scanImage(source: ImageSource, options: ScanOptions): Promise<ScanReport[]> {
  const resolved = await resolveImage(source, {
    ...(options.platform && { platform: options.platform }),
  });
  if (options.signatureKeys !== undefined && !(source instanceof RegistrySource))
    throw new SignatureError(
      'NOT_A_REGISTRY',
      `${source.reference}: signatures are looked up in registries; scan the image by its registry reference`,
    );
  const reports: ScanReport[] = [];
  for (const image of resolved.manifests)
    reports.push(await scanPlatform(source, resolved, image, options));
  return reports;
}

/**
 * The cosign signatures of a platform image: those of the digest the reference resolved to (a
 * multi-platform index is signed as a whole) and those of the platform's own manifest.
 */
async function verifySignatures(
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

/** Scans one platform image of a resolved reference. */
export async function scanPlatform(
  source: ImageSource,
  resolved: ResolvedImage,
  image: PlatformImage,
  options: ScanOptions,
): Promise<ScanReport> {
  const scanner = options.secrets === true ? new SecretScanner(SECRET_RULES) : undefined;
  const analyzers = [
    ...(options.analyzers ?? ANALYZERS),
    ...(scanner === undefined ? [] : [secretsAnalyzer(scanner), sensitiveFilesAnalyzer]),
  ];
  const analyzed = await analyzeImage(source, image, analyzers, options.limits);
  const tree = mergeLayers(listingsOf(analyzed));
  const inventory = assembleInventory(analyzed, { today: options.today, tree });
  const secrets = scanner && {
    secrets: assembleSecrets(analyzed, image.config, scanner),
    sensitiveFiles: assembleSensitiveFiles(analyzed),
  };
  const context = () =>
    checkContext({
      reference: resolved.reference,
      image,
      analyzed,
      inventory,
      files: tree,
      ...secrets,
    });
  const report: ScanReport = {
    schemaVersion: SCAN_SCHEMA_VERSION,
    image: {
      reference: resolved.reference,
      digest: resolved.digest,
      platform: image.platform,
      manifestDigest: image.digest,
    },
    ...inventory,
    ...secrets,
    ...(options.signatureKeys !== undefined &&
      source instanceof RegistrySource && {
        signature: await verifySignatures(
          source,
          [resolved.digest, image.digest],
          options.signatureKeys,
        ),
      }),
    ...(options.checks === true && { checks: runChecks(IMAGE_CHECKS, context()) }),
    ...(options.vulnerabilities &&
      (await vulnerabilityReport(inventory, options.vulnerabilities, options.today))),
  };
  return {
    ...report,
    ...(options.compliance && { compliance: complianceReport(report, options.compliance) }),
    ...(options.policy && { verdict: evaluatePolicy(options.policy, report, options.today) }),
  };
}

async function vulnerabilityReport(
  inventory: Inventory,
  options: VulnerabilityOptions,
  today: Date,
): Promise<VulnerabilityReport> {
  const matched = await matchInventory(inventory, options.store, {
    ...(options.detection && { detection: options.detection }),
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
    },
    vulnerabilityProblems: matched.problems,
    expiredIgnores: suppressed.expiredIgnores,
  };
}

/** One report as is; several under `platforms` (README, "clearance scan"). */
export function scanOutput(reports: readonly ScanReport[]): ScanReport | MultiPlatformScanReport {
  if (reports.length === 1) return reports[0]!;
  const { reference, digest } = reports[0]!.image;
  return { schemaVersion: SCAN_SCHEMA_VERSION, image: { reference, digest }, platforms: reports };
}
