import { gunzipSync, gzipSync } from 'node:zlib';
import type { Analyzer } from '../analyzers';
import { analyzeLayer } from '../analyzers';
import type { LayerRef } from '../image';
import type { ImageSource } from '../image';
import type { LayerLimits } from '../layers';
import { PipelineError } from './errors';
import {
  analyzerSetVersion,
  layerReportOf,
  parseLayerReport,
  type LayerReport,
} from './layer-report';
import type { ObjectStore } from '../objects';

export interface AnalyzeLayerInput {
  readonly source: ImageSource;
  readonly layer: LayerRef;
  readonly analyzers: readonly Analyzer[];
  readonly store: ObjectStore;
  readonly limits?: Partial<LayerLimits>;
  /**
   * The version the report is stored under, when the caller's set is more than its analysers
   * (the pipeline's counts secret rules and checks too).
   * @default - analyzerSetVersion(analyzers)
   */
  readonly analyzerSet?: string;
}

/** Where the report of a layer is kept, under the analyser set that made it. */
export function layerReportKey(layer: LayerRef, analyzerSet: string): string {
  return `layer-reports/${analyzerSet}/${layer.descriptor.digest.replace(':', '/')}.json.gz`;
}

/**
 * The AnalyzeLayer step: the layer's report from the store when the same analyser set made one
 * (the blob is then not read at all), else the layer streamed, analysed and its report stored.
 * Only readable layers are stored: a failure may be transient, and is read again next time. A
 * stored report that cannot be read is made again and replaced.
 */
export async function analyzeLayerCached(
  input: AnalyzeLayerInput,
): Promise<{ readonly report: LayerReport; readonly cached: boolean }> {
  const analyzerSet = input.analyzerSet ?? analyzerSetVersion(input.analyzers);
  const key = layerReportKey(input.layer, analyzerSet);
  const stored = await input.store.get(key);
  if (stored !== undefined) {
    const report = readStored(stored, input.layer, analyzerSet);
    if (report !== undefined) return { report, cached: true };
  }
  const analyzed = await analyzeLayer(input.source, input.layer, input.analyzers, input.limits);
  const report = layerReportOf(analyzed, analyzerSet);
  if (report.result.ok) await input.store.put(key, gzipSync(JSON.stringify(report)));
  return { report, cached: false };
}

function readStored(bytes: Buffer, layer: LayerRef, analyzerSet: string): LayerReport | undefined {
  try {
    return parseLayerReport(gunzipSync(bytes), layer.descriptor.digest, analyzerSet);
  } catch (error) {
    if (error instanceof PipelineError || (error as { code?: string }).code?.startsWith('Z_'))
      return undefined;
    throw error;
  }
}
