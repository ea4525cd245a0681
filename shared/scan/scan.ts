import { analyzeImage, type Analyzer } from '../analyzers';
import type { FrameworkId } from '../compliance';
import type { GapAcceptance } from '../coverage';
import type { Platform } from '../image';
import { resolveImage, type PlatformImage, type ResolvedImage } from '../image';
import type { ImageSource } from '../image';
import type { LayerLimits, LayerProgress } from '../layers';
import type { Policy } from '../policy';
import { SignatureError, type VerificationKey } from '../signatures';
import { RegistrySource } from '../sources';
import {
  imageReport,
  inReportOrder,
  judgedReport,
  scanAnalyzers,
  verifySignatures,
  vulnerabilityReport,
  type VulnerabilityOptions,
} from './stages';
import { SCAN_SCHEMA_VERSION, type VulnerabilityReport } from '../report';
import type { MultiPlatformScanReport, ScanReport } from './report';

export type { VulnerabilityOptions } from './stages';

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
  /** What counts as unchecked, and which gaps are accepted. @default - see {@link CoverageOptions} */
  readonly coverage?: CoverageOptions;
  /** Told how far the scan has got, for a progress display. @default - none */
  readonly onProgress?: (progress: ScanProgress) => void;
}

/**
 * How far a scan of one platform image has got: reading its layers (the analysers take the
 * files they want as they stream by), then analysing what was read (inventory, secrets, checks),
 * then matching the packages against the vulnerability data.
 */
export type ScanProgress =
  | ({ readonly phase: 'layers'; readonly platform: string } & LayerProgress)
  | { readonly phase: 'analysing' | 'matching'; readonly platform: string };

export interface CoverageOptions {
  /**
   * Vulnerabilities are part of this scan, so no data is a gap (`scan`); an SBOM needs none.
   * @default - whether `vulnerabilities` was given
   */
  readonly vulnerabilities?: boolean;
  /** @default DEFAULT_MAX_DATA_AGE_HOURS (coverage/report-gaps.ts) */
  readonly maxDataAgeHours?: number;
  /** @default - no gap accepted */
  readonly accept?: GapAcceptance;
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
 * Scans one platform image of a resolved reference: the pipeline's AnalyzeLayer, Assemble,
 * Match and Evaluate steps in one process, from the same parts (./parts.ts).
 */
export async function scanPlatform(
  source: ImageSource,
  resolved: ResolvedImage,
  image: PlatformImage,
  options: ScanOptions,
): Promise<ScanReport> {
  const { analyzers, scanner } = scanAnalyzers(options);
  const { onProgress } = options;
  const { platform } = image;
  const analyzed = await analyzeImage(source, image, analyzers, {
    ...(options.limits && { limits: options.limits }),
    ...(onProgress && {
      onProgress: (layer) => onProgress({ phase: 'layers', platform, ...layer }),
    }),
  });
  onProgress?.({ phase: 'analysing', platform });
  const report = imageReport({
    reference: resolved.reference,
    digest: resolved.digest,
    image,
    analyzed,
    today: options.today,
    ...(scanner && { scanner }),
    checks: options.checks === true,
  });
  const signed = options.signatureKeys !== undefined && source instanceof RegistrySource;
  const complete = inReportOrder({
    ...report,
    ...(signed && {
      signature: await verifySignatures(
        source,
        [resolved.digest, image.digest],
        options.signatureKeys,
      ),
    }),
    ...(options.vulnerabilities &&
      (await matchedReport(report, options.vulnerabilities, options, platform))),
  });
  const { coverage } = options;
  return judgedReport(complete, {
    ...options,
    expect: {
      vulnerabilities: coverage?.vulnerabilities ?? options.vulnerabilities !== undefined,
      ...(coverage?.maxDataAgeHours !== undefined && {
        maxDataAgeHours: coverage.maxDataAgeHours,
      }),
      signatures: options.signatureKeys !== undefined,
    },
    ...(coverage?.accept && { accept: coverage.accept }),
  });
}

/** The report's vulnerability part, `onProgress` told first (matching can take a while). */
function matchedReport(
  report: ScanReport,
  vulnerabilities: VulnerabilityOptions,
  options: Pick<ScanOptions, 'today' | 'onProgress'>,
  platform: string,
): Promise<VulnerabilityReport> {
  options.onProgress?.({ phase: 'matching', platform });
  return vulnerabilityReport(report, vulnerabilities, options.today);
}

/** One report as is; several under `platforms` (README, "clearance scan"). */
export function scanOutput(reports: readonly ScanReport[]): ScanReport | MultiPlatformScanReport {
  if (reports.length === 1) return reports[0]!;
  const { reference, digest } = reports[0]!.image;
  return { schemaVersion: SCAN_SCHEMA_VERSION, image: { reference, digest }, platforms: reports };
}
