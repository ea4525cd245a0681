import { ACCEPT_NOTHING, parseGapPattern, type GapAcceptance } from '../coverage';
import { PipelineError } from './errors';

/**
 * What the pipeline counts as checked (lib/config.ts: `maxDataAgeHours`, `acceptGaps`), as the
 * Evaluate and fleet functions read it at cold start.
 */
export interface CoverageSettings {
  /** @default DEFAULT_MAX_DATA_AGE_HOURS */
  readonly maxDataAgeHours?: number;
  /** Gaps the stack accepts for every image (policy exceptions accept them per image). */
  readonly accept?: GapAcceptance;
  /** Signature keys are configured, so an image whose signatures were not verified has a gap. */
  readonly signatures?: boolean;
}

/** `*` in `CLEARANCE_ACCEPT_GAPS`: every gap (as `--allow-incomplete`). */
const EVERY_GAP = '*';

/**
 * Reads a function's environment: `CLEARANCE_MAX_DATA_AGE_HOURS` (a positive number),
 * `CLEARANCE_ACCEPT_GAPS` (a JSON list of gap patterns, or `["*"]`) and whether
 * `CLEARANCE_SIGNATURE_KEYS` names keys; each may be unset. Anything else is MISCONFIGURED.
 */
export function coverageSettings(
  env: Readonly<Record<string, string | undefined>>,
): CoverageSettings {
  const text = env.CLEARANCE_MAX_DATA_AGE_HOURS;
  const hours = text === undefined || text === '' ? undefined : Number(text);
  if (hours !== undefined && !(Number.isFinite(hours) && hours > 0))
    throw misconfigured(
      `CLEARANCE_MAX_DATA_AGE_HOURS is ${JSON.stringify(text)}; expected a positive number of hours`,
    );
  return {
    ...(hours !== undefined && { maxDataAgeHours: hours }),
    accept: acceptanceOf(env.CLEARANCE_ACCEPT_GAPS),
    signatures: (env.CLEARANCE_SIGNATURE_KEYS ?? '').trim() !== '',
  };
}

function acceptanceOf(text: string | undefined): GapAcceptance {
  if (text === undefined || text.trim() === '') return ACCEPT_NOTHING;
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string'))
    throw misconfigured(
      `CLEARANCE_ACCEPT_GAPS is ${JSON.stringify(text)}; expected a JSON list of gap patterns`,
    );
  if (list.includes(EVERY_GAP)) return { all: true, patterns: [], origin: 'settings' };
  try {
    return {
      all: false,
      patterns: list.map((p: string) => parseGapPattern(p, 'CLEARANCE_ACCEPT_GAPS')),
      origin: 'settings',
    };
  } catch (error) {
    throw misconfigured((error as Error).message);
  }
}

function misconfigured(message: string): PipelineError {
  return new PipelineError('MISCONFIGURED', message);
}
