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

/** A function's coverage variables, as the environment contract reads them; each may be unset. */
export interface CoverageVariables {
  readonly maxDataAgeHours?: number;
  readonly acceptGaps?: GapAcceptance;
  /** The signature keys' list: only whether it names any counts here. */
  readonly signatureKeys?: string;
}

/** `*` among the accepted gaps: every gap (as `--allow-incomplete`). */
const EVERY_GAP = '*';

/** The coverage settings of a function's variables: the engine's defaults for what is unset. */
export function coverageSettings(variables: CoverageVariables): CoverageSettings {
  return {
    ...(variables.maxDataAgeHours !== undefined && { maxDataAgeHours: variables.maxDataAgeHours }),
    accept: variables.acceptGaps ?? ACCEPT_NOTHING,
    signatures: (variables.signatureKeys ?? '').trim() !== '',
  };
}

/** The maximum data age of variable `name`: a positive number of hours, else MISCONFIGURED. */
export function maxDataAgeHours(text: string, name: string): number {
  const hours = Number(text);
  if (!(Number.isFinite(hours) && hours > 0))
    throw misconfigured(`${name} is ${JSON.stringify(text)}; expected a positive number of hours`);
  return hours;
}

/** The gaps variable `name` accepts: a JSON list of gap patterns, or `["*"]`, else MISCONFIGURED. */
export function gapAcceptance(text: string, name: string): GapAcceptance {
  if (text.trim() === '') return ACCEPT_NOTHING;
  let list: unknown;
  try {
    list = JSON.parse(text);
  } catch {
    list = undefined;
  }
  if (!Array.isArray(list) || !list.every((p) => typeof p === 'string'))
    throw misconfigured(`${name} is ${JSON.stringify(text)}; expected a JSON list of gap patterns`);
  if (list.includes(EVERY_GAP)) return { all: true, patterns: [], origin: 'settings' };
  try {
    return {
      all: false,
      patterns: list.map((p: string) => parseGapPattern(p, name)),
      origin: 'settings',
    };
  } catch (error) {
    throw misconfigured((error as Error).message);
  }
}

function misconfigured(message: string): PipelineError {
  return new PipelineError('MISCONFIGURED', message);
}
