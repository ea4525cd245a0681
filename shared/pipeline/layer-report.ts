import { createHash } from 'node:crypto';
import type { Analyzer } from '../analyzers';
import type { AnalyzedImage, FileAnalysis } from '../analyzers';
import type { ErrorKind } from '../core';
import type { Digest } from '../image';
import type { LayerRef } from '../image';
import { LayerError, type LayerErrorCode } from '../layers';
import type { LayerListing } from '../layers';
import { PipelineError } from './errors';

/**
 * Bumped when the stored shape changes, so that reports of the old shape are made again rather
 * than read. 2: listings keep at most MAX_LAYER_PROBLEMS problems and count them in `problemCount`.
 */
export const LAYER_REPORT_SCHEMA_VERSION = 2;

/**
 * What analysing one layer found, as JSON: the pipeline's AnalyzeLayer step writes one per
 * layer, keyed by the layer digest and the analyser set, and Assemble reads them back in order.
 */
export interface LayerReport {
  readonly schemaVersion: typeof LAYER_REPORT_SCHEMA_VERSION;
  readonly layer: Digest;
  readonly analyzerSet: string;
  readonly result:
    | { readonly ok: true; readonly listing: LayerListing }
    | {
        readonly ok: false;
        readonly error: {
          readonly code: LayerErrorCode;
          readonly kind: ErrorKind;
          readonly message: string;
        };
      };
  readonly analyses: readonly FileAnalysis[];
}

/**
 * A short name of the analysers and their versions: a cached layer report is reused only by
 * the same set, so a new analyser version re-reads every layer (STYLE.md §4).
 */
export function analyzerSetVersion(analyzers: readonly Analyzer[]): string {
  const names = analyzers.map((a) => `${a.name}@${a.version}`).sort();
  return createHash('sha256').update(names.join('\n')).digest('hex').slice(0, 16);
}

/** The report of one layer analysed alone (`analyzeLayer`). */
export function layerReportOf(analyzed: AnalyzedImage, analyzerSet: string): LayerReport {
  const [result] = analyzed.layers;
  if (result === undefined || analyzed.layers.length !== 1)
    throw new PipelineError(
      'INVALID_LAYER_REPORT',
      `expected one layer, got ${analyzed.layers.length}`,
    );
  return {
    schemaVersion: LAYER_REPORT_SCHEMA_VERSION,
    layer: result.layer.descriptor.digest,
    analyzerSet,
    result: result.ok
      ? { ok: true, listing: result.listing }
      : {
          ok: false,
          error: {
            code: result.error.code,
            kind: result.error.kind,
            message: result.error.message,
          },
        },
    analyses: analyzed.analyses,
  };
}

/**
 * An image's analysis put back together from its layer reports, in the order of `layers`:
 * what `analyzeImage` would have given, for the inventory, the secrets and the checks.
 */
export function analyzedFrom(
  layers: readonly LayerRef[],
  reports: readonly LayerReport[],
): AnalyzedImage {
  const byLayer = new Map(reports.map((r) => [r.layer, r]));
  const ordered = layers.map((layer) => {
    const report = byLayer.get(layer.descriptor.digest);
    if (report === undefined)
      throw new PipelineError(
        'INVALID_LAYER_REPORT',
        `no report for layer ${layer.descriptor.digest}`,
      );
    return { layer, report };
  });
  return {
    layers: ordered.map(({ layer, report }) =>
      report.result.ok
        ? { ok: true as const, layer, listing: report.result.listing }
        : { ok: false as const, layer, error: layerError(report.layer, report.result.error) },
    ),
    analyses: ordered.flatMap(({ report }) => report.analyses),
  };
}

/** Reads a stored report; anything else is an error, so that a damaged object is re-made. */
export function parseLayerReport(bytes: Buffer, layer: Digest, analyzerSet: string): LayerReport {
  let report: Partial<LayerReport>;
  try {
    report = JSON.parse(bytes.toString('utf8')) as Partial<LayerReport>;
  } catch (error) {
    throw new PipelineError(
      'INVALID_LAYER_REPORT',
      `layer report of ${layer} is not JSON`,
      'input',
      { cause: error },
    );
  }
  if (
    report.schemaVersion !== LAYER_REPORT_SCHEMA_VERSION ||
    report.layer !== layer ||
    report.analyzerSet !== analyzerSet ||
    typeof report.result?.ok !== 'boolean' ||
    !Array.isArray(report.analyses)
  )
    throw new PipelineError(
      'INVALID_LAYER_REPORT',
      `layer report of ${layer} has another shape or key`,
      'input',
    );
  return report as LayerReport;
}

function layerError(
  layer: Digest,
  error: { code: LayerErrorCode; kind: ErrorKind; message: string },
): LayerError {
  const prefix = `layer ${layer}: `;
  const detail = error.message.startsWith(prefix)
    ? error.message.slice(prefix.length)
    : error.message;
  return new LayerError(error.code, layer, detail, error.kind);
}
