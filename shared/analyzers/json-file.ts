import type { AnalyzerFile } from './analyzer';
import { parseJson } from '../core';

/** The JSON manifests the analysers read (npm, composer, nuget): parse helpers are in core/json. */

/** The problem recorded for a file cut at the engine's read limit. */
export const TRUNCATED_REASON = 'the file is larger than the read limit; it was not read whole';

/**
 * A JSON file as the analysers read it: its value, with a problem when the file was cut at the
 * read limit; or no value and why it did not parse.
 */
export function readJsonFile(file: AnalyzerFile): {
  value?: unknown;
  problems: { reason: string }[];
} {
  const problems = file.truncated ? [{ reason: TRUNCATED_REASON }] : [];
  const parsed = parseJson(file.bytes);
  if ('reason' in parsed) return { problems: [...problems, parsed] };
  return { value: parsed.value, problems };
}
