import { messageOf } from '../core';
import type { Digest } from '../image';
import type { LayerRef, PlatformImage } from '../image';
import type { ImageSource } from '../image';
import type { LayerLimits } from '../layers';
import { readLayers, type LayerProgress, type LayerResult } from '../layers';
import type { LayerListing, SelectedFile } from '../layers';
import type { Analyzer, AnalyzerResult } from './analyzer';

/** What one analyser found in one file of one layer. */
export interface FileAnalysis {
  readonly layer: Digest;
  readonly path: string;
  readonly analyzer: string;
  readonly result: AnalyzerResult;
}

export interface AnalyzedImage {
  readonly layers: readonly LayerResult[];
  readonly analyses: readonly FileAnalysis[];
}

/** The listings of the layers that could be read, in layer order. */
export function listingsOf(analyzed: AnalyzedImage): LayerListing[] {
  return analyzed.layers.flatMap((r) => (r.ok ? [r.listing] : []));
}

/**
 * Streams every layer once, handing each file some analyser wants to the analysers that want
 * it. An analyser that throws is reported as a problem on that file; the scan goes on.
 */
export async function analyzeImage(
  source: ImageSource,
  image: PlatformImage,
  analyzers: readonly Analyzer[],
  options: AnalyzeOptions = {},
): Promise<AnalyzedImage> {
  return analyzeLayers(source, image.layers, analyzers, options);
}

/** How {@link analyzeImage} reads the layers. */
export interface AnalyzeOptions {
  readonly limits?: Partial<LayerLimits>;
  /** Told how far the layers have been read. @default - none */
  readonly onProgress?: (progress: LayerProgress) => void;
}

/**
 * The same for one layer alone: what the pipeline's AnalyzeLayer step does, so that an image's
 * layers can be read in parallel and each layer's result cached on its own.
 */
export function analyzeLayer(
  source: ImageSource,
  layer: LayerRef,
  analyzers: readonly Analyzer[],
  limits?: Partial<LayerLimits>,
): Promise<AnalyzedImage> {
  return analyzeLayers(source, [layer], analyzers, { ...(limits !== undefined && { limits }) });
}

async function analyzeLayers(
  source: ImageSource,
  layerRefs: readonly LayerRef[],
  analyzers: readonly Analyzer[],
  { limits, onProgress }: AnalyzeOptions,
): Promise<AnalyzedImage> {
  const analyses: FileAnalysis[] = [];
  const layers = await readLayers(
    source,
    { layers: layerRefs },
    {
      ...(limits !== undefined && { limits }),
      ...(onProgress !== undefined && { onProgress }),
      select: (entry) => {
        const wanting = analyzers.filter((a) => a.wants(entry.path, entry));
        if (wanting.length === 0) return false;
        return wanting.some((a) => a.readsRanges === true) ? 'ranges' : 'bytes';
      },
      onFile: async (file) => {
        for (const analyzer of analyzers) {
          if (analyzer.wants(file.entry.path, file.entry)) analyses.push(await run(analyzer, file));
        }
      },
    },
  );
  return { layers, analyses };
}

/**
 * Problems one file's analysis keeps one by one: the first few say what is wrong with it, and
 * a status file of a million broken paragraphs would otherwise put a million lines in every
 * report (and layer report). The rest are said in one more line with their number.
 */
export const MAX_FILE_PROBLEMS = 20;

async function run(analyzer: Analyzer, file: SelectedFile): Promise<FileAnalysis> {
  const { path } = file.entry;
  let result: AnalyzerResult;
  try {
    result = boundedProblems(
      await analyzer.analyze({
        path,
        bytes: file.bytes,
        truncated: file.truncated,
        size: file.entry.size,
        read: (position, length) => file.read(position, length),
      }),
    );
  } catch (error) {
    const reason = `${analyzer.name} failed: ${messageOf(error)}`;
    result = { problems: [{ reason }] };
  }
  return { layer: file.layer, path, analyzer: analyzer.name, result };
}

/** `result` with its first {@link MAX_FILE_PROBLEMS} problems and a line counting the others. */
function boundedProblems(result: AnalyzerResult): AnalyzerResult {
  const problems = result.problems ?? [];
  if (problems.length <= MAX_FILE_PROBLEMS) return result;
  const unlisted = problems.length - MAX_FILE_PROBLEMS;
  return {
    ...result,
    problems: [
      ...problems.slice(0, MAX_FILE_PROBLEMS),
      { reason: `… and ${unlisted} more problems in this file` },
    ],
  };
}
