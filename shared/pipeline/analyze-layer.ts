import { gzipSync } from 'node:zlib';
import type { LayerRef } from '../image';
import type { LayerLimits } from '../layers';
import { analyzeLayerCached, layerReportKey } from './layer-analysis';
import { PipelineError } from './errors';
import type { LayerReport } from './layer-report';
import type { ObjectStore } from '../objects';
import type { ImageOpener } from './ports';
import { pipelineScan } from './scan-set';
import {
  AnalyzeLayerStepInput,
  type AnalyzedLayer,
  type ImageTarget,
  type LayerDescriptor,
} from './states';
import { stepBinding } from './step-binding';

/** What AnalyzeLayer uses. */
export interface AnalyzeLayerDeps {
  readonly store: ObjectStore;
  readonly opener: ImageOpener;
  /** @default - the engine's limits (layers/limits.ts) */
  readonly limits?: Partial<LayerLimits>;
}

/** The AnalyzeLayer state: one layer → its report's key (stored, or found in the store). */
export const ANALYZE_LAYER_STEP = stepBinding(
  'AnalyzeLayer',
  AnalyzeLayerStepInput,
  analyzeLayerStep,
);

/**
 * The AnalyzeLayer step: one layer's report, from the store when this analyser set made one
 * (the blob is not read), else streamed, analysed and stored. A layer the image itself makes
 * unreadable (digest or diff_id mismatch, bad compression or tar, a limit: errors of kind
 * `input`) is reported, not thrown: its report, kept apart from the cache (`failedReportKey`),
 * says why, Assemble makes it a coverage gap and the verdict fails as incomplete, so the image's
 * team hears of it. A network failure is `transient` and thrown, so the state retries it; a
 * bug is thrown too, and the scan fails through its Catch.
 */
export async function analyzeLayerStep(
  input: AnalyzeLayerStepInput,
  deps: AnalyzeLayerDeps,
): Promise<AnalyzedLayer> {
  const { analyzers, analyzerSet } = pipelineScan();
  if (input.analyzerSet !== analyzerSet)
    throw new PipelineError(
      'MALFORMED_INPUT',
      `expected analyzerSet ${analyzerSet}, got ${input.analyzerSet}: the scan was resolved by another version of the pipeline; scan the image again`,
      'input',
    );
  const layer = layerRefOf(input.layer);
  const source = await deps.opener.open(input.image);
  try {
    const { report, cached } = await analyzeLayerCached({
      source,
      layer,
      analyzers,
      analyzerSet,
      store: deps.store,
      ...(deps.limits && { limits: deps.limits }),
    });
    const result = report.result;
    if (result.ok)
      return {
        layer: layer.descriptor.digest,
        reportKey: layerReportKey(layer, analyzerSet),
        cached,
      };
    if (result.error.kind !== 'input') throw unreadable(input.image, result.error);
    const reportKey = failedReportKey(layer, analyzerSet);
    await deps.store.put(reportKey, gzipSync(JSON.stringify(report)));
    return { layer: layer.descriptor.digest, reportKey, cached: false };
  } finally {
    await source.close();
  }
}

/**
 * Where the report of a layer that could not be read is kept: beside the cache, never read as a
 * cached report (a later read may succeed, or fail otherwise), expiring with it.
 */
export function failedReportKey(layer: LayerRef, analyzerSet: string): string {
  return `layer-reports/${analyzerSet}/failed/${layer.descriptor.digest.replace(':', '/')}.json.gz`;
}

/** A layer of the state's input as the engine names it. */
export function layerRefOf(layer: LayerDescriptor): LayerRef {
  return {
    descriptor: { mediaType: layer.mediaType, digest: layer.digest, size: layer.size },
    diffId: layer.diffId,
  };
}

type LayerFailure = Extract<LayerReport['result'], { ok: false }>['error'];

function unreadable(image: ImageTarget, error: LayerFailure): PipelineError {
  return new PipelineError(
    'LAYER_UNREADABLE',
    `${image.repository}@${image.digest}: ${error.message} (${error.code})`,
    error.kind,
  );
}
