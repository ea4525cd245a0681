import { createHash } from 'node:crypto';
import type { Analyzer } from '../analyzers';
import { IMAGE_CHECKS, type ImageCheck } from '../checks';
import { scanAnalyzers } from '../scan';
import { ALLOW_RULES } from '../secrets';
import type { AllowRule, SecretRule } from '../secrets';
import { SECRET_RULES } from '../secrets';
import type { SecretScanner } from '../secrets';
import { SENSITIVE_FILE_RULES, type SensitiveFileRule } from '../secrets';
import { analyzerSetVersion } from './layer-report';

/**
 * What the pipeline scans with, as `clearance scan` does by default: every analyser, secrets and
 * sensitive files searched, the image checks run.
 */
export interface PipelineScan {
  readonly analyzers: readonly Analyzer[];
  readonly scanner: SecretScanner;
  /** The version of all of it: part of the layer reports' key and of every verdict. */
  readonly analyzerSet: string;
}

/** The rules a scan set is made of; every part has a default, tests change one. */
export interface ScanSetParts {
  readonly analyzers: readonly Analyzer[];
  readonly secretRules: readonly SecretRule[];
  readonly allowRules: readonly AllowRule[];
  readonly sensitiveFileRules: readonly SensitiveFileRule[];
  readonly checks: readonly ImageCheck[];
}

/** Hex digits of a scan set's version. */
const SET_VERSION_HEX = 16;

/**
 * The version of a scan set: the analysers' names and versions, every secret, allow and
 * sensitive-file rule as it is written (they have no version of their own: any change to one is
 * a new set), and the checks' ids and versions. Reports made by another set are not reused.
 */
export function scanSetVersion(parts: ScanSetParts): string {
  const text = [
    analyzerSetVersion(parts.analyzers),
    rulesText(parts.secretRules),
    rulesText(parts.allowRules),
    rulesText(parts.sensitiveFileRules),
    parts.checks.map((c) => `${c.id}@${c.version}`).join(','),
  ].join('\n');
  return createHash('sha256').update(text).digest('hex').slice(0, SET_VERSION_HEX);
}

let cached: PipelineScan | undefined;

/** The pipeline's scan set (made once per process: the secret scanner compiles its rules). */
export function pipelineScan(): PipelineScan {
  if (cached !== undefined) return cached;
  const { analyzers, scanner } = scanAnalyzers({ secrets: true });
  cached = {
    analyzers,
    scanner: scanner!,
    analyzerSet: scanSetVersion({
      analyzers,
      secretRules: SECRET_RULES,
      allowRules: ALLOW_RULES,
      sensitiveFileRules: SENSITIVE_FILE_RULES,
      checks: IMAGE_CHECKS,
    }),
  };
  return cached;
}

/** Rules as text, regular expressions written out (JSON would make them `{}`). */
function rulesText(rules: readonly object[]): string {
  return JSON.stringify(rules, (_key, value: unknown) =>
    value instanceof RegExp ? value.toString() : value,
  );
}
