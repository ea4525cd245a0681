import { gunzipSync } from 'node:zlib';
import { sbomStamp } from '../sbom';
import { cycloneDxJson } from '../sbom';
import { spdxJson } from '../sbom';
import { imageReport } from '../scan';
import { PipelineError } from './errors';
import { analyzedFrom, parseLayerReport, type LayerReport } from './layer-report';
import type { ObjectStore } from '../objects';
import type { Clock } from '../core';
import { readStoredImage, scanPlatformKeys, writeJson } from './scan-keys';
import { pipelineScan } from './scan-set';
import { AssembleInput, type AnalyzedLayer, type AssembledPlatform } from './states';
import { stepBinding } from './step-binding';

/** What Assemble uses. */
export interface AssembleDeps {
  readonly store: ObjectStore;
  /** Today, for end-of-life status, and the SBOMs' timestamp. */
  readonly clock: Clock;
}

/** The Assemble state: a platform's layer reports → its report and SBOMs in the store. */
export const ASSEMBLE_STEP = stepBinding('Assemble', AssembleInput, assemblePlatform);

/**
 * The Assemble step: the platform's layer reports put back together in layer order (whiteouts,
 * opaque directories), then what `scanPlatform` reads from the image: the inventory, secrets,
 * sensitive files and checks. Writes `report.json` (no vulnerabilities, signature or verdict
 * yet) and the CycloneDX and SPDX SBOMs, stamped deterministically so a retry writes the same
 * bytes for the same clock.
 */
export async function assemblePlatform(
  input: AssembleInput,
  deps: AssembleDeps,
): Promise<AssembledPlatform> {
  const { scanner, analyzerSet } = pipelineScan();
  const stored = await readStoredImage(deps.store, input.platform.imageKey);
  if (stored.image.digest !== input.platform.manifestDigest)
    throw new PipelineError(
      'MISSING_OBJECT',
      `expected the image of ${input.platform.manifestDigest} at ${input.platform.imageKey}, got ${stored.image.digest}`,
    );
  const reports = await readLayerReports(deps.store, input.layers, analyzerSet);
  const today = deps.clock();
  const report = imageReport({
    reference: stored.reference,
    digest: stored.digest,
    image: stored.image,
    analyzed: analyzedFrom(stored.image.layers, reports),
    today,
    scanner,
    checks: true,
  });
  const all = scanPlatformKeys(input.scanId, stored.image.digest);
  const keys = { report: all.report, cyclonedx: all.cyclonedx, spdx: all.spdx };
  const stamp = sbomStamp(report, today, true);
  await writeJson(deps.store, keys.report, report);
  await deps.store.put(keys.cyclonedx, Buffer.from(cycloneDxJson(report, stamp)));
  await deps.store.put(keys.spdx, Buffer.from(spdxJson(report, stamp)));
  return {
    platform: stored.image.platform,
    manifestDigest: stored.image.digest,
    keys,
    packages: report.packages.length,
  };
}

/** The stored reports of the layers AnalyzeLayer made, checked to be of this analyser set. */
async function readLayerReports(
  store: ObjectStore,
  layers: readonly AnalyzedLayer[],
  analyzerSet: string,
): Promise<LayerReport[]> {
  const reports: LayerReport[] = [];
  for (const layer of layers) {
    const bytes = await store.get(layer.reportKey);
    if (bytes === undefined)
      throw new PipelineError(
        'MISSING_OBJECT',
        `expected the report of layer ${layer.layer} at ${layer.reportKey}, found nothing`,
      );
    reports.push(parseLayerReport(gunzipSync(bytes), layer.layer, analyzerSet));
  }
  return reports;
}
