import type { LayerRef } from '../image/resolve';
import type { LayerLimits } from '../layers/limits';
import { analyzeLayerCached, layerReportKey } from './analyze-layer';
import { PipelineError } from './errors';
import type { LayerReport } from './layer-report';
import type { ObjectStore } from './object-store';
import type { ImageOpener } from './ports';
import { pipelineScan } from './scan-set';
import type { AnalyzedLayer, AnalyzeLayerStepInput, ImageTarget, LayerDescriptor } from './steps';

/** What AnalyzeLayer uses. */
export interface AnalyzeLayerDeps {
  readonly store: ObjectStore;
  readonly opener: ImageOpener;
  /** @default - the engine's limits (layers/limits.ts) */
  readonly limits?: Partial<LayerLimits>;
}

/**
 * The AnalyzeLayer step: one layer's report, from the store when this analyser set made one
 * (the blob is not read), else streamed, analysed and stored. A layer that cannot be read fails
 * the step, `LAYER_UNREADABLE` of the read error's kind: a corrupt layer (digest mismatch, bad
 * compression or tar) is `input`, so the scan fails cleanly through its Catch while the other
 * layers' reports stay stored; a network failure is `transient`, so the state retries it.
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
    if (!report.result.ok) throw unreadable(input.image, report.result.error);
    return {
      layer: layer.descriptor.digest,
      reportKey: layerReportKey(layer, analyzerSet),
      cached,
    };
  } finally {
    await source.close();
  }
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
