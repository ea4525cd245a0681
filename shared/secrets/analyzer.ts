import type { Analyzer } from '../analyzers';
import { allowedPath } from './allow';
import { SECRET_RULES } from './rules';
import { SecretScanner } from './scanner';
import type { SecretMatch } from './scanner';

declare module '../analyzers/analyzer' {
  interface AnalyzerFindings {
    /** Secrets in the file, redacted. */
    readonly secrets: readonly SecretMatch[];
  }
}

/** Files larger than this are not searched: secrets live in configuration, not in data. */
export const MAX_SECRET_FILE_BYTES = 1024 * 1024;

/**
 * Searches every regular file of every layer up to {@link MAX_SECRET_FILE_BYTES}, except those
 * on allow-listed paths. Every layer, not only the final filesystem: a secret deleted by a later
 * layer is still in the image's history.
 */
export function secretsAnalyzer(scanner = new SecretScanner(SECRET_RULES)): Analyzer {
  return {
    name: 'secrets',
    version: 1,
    wants: (path, info) =>
      info.size > 0 && info.size <= MAX_SECRET_FILE_BYTES && allowedPath(path) === undefined,
    analyze: (file) => ({ secrets: scanner.scanBytes(file.bytes) }),
  };
}
