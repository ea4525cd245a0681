import { PipelineError } from './errors';

/*
 * The pipeline's settings as the Lambda functions read them from their environment at cold
 * start, parsed here so that a wrong value fails fast, by name, before the first event. `name`
 * is the variable's (environment-variables.ts declares which variable each parser reads).
 */

/** Seconds of a trigger window: a whole number from 1 to a day. */
export function windowSeconds(value: string, name: string): number {
  return wholeSeconds(name, value, SECONDS_PER_DAY);
}

/**
 * Seconds the scan of an untagged manifest waits for the index it may be a platform of: a whole
 * number from 1 to an hour (`Deferral` in steps.ts).
 */
export function indexWaitSeconds(value: string, name: string): number {
  return wholeSeconds(name, value, SECONDS_PER_HOUR);
}

function wholeSeconds(name: string, value: string, max: number): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > max)
    throw misconfigured(name, value, `whole seconds from 1 to ${max}`);
  return seconds;
}

/** How a failing image is quarantined. */
export type QuarantineMode = 'record' | 'tag';

export function quarantineMode(value: string, name: string): QuarantineMode {
  if (value !== 'record' && value !== 'tag') throw misconfigured(name, value, 'record or tag');
  return value;
}

/**
 * A promotion tag pattern: a tag in which `{tag}` and `{digest12}` are substituted (`{tag}`,
 * `release-{digest12}`; a constant such as `stable` moves with each promoted image).
 */
export function promotionTagPattern(value: string, name: string): string {
  const sample = value.replaceAll('{tag}', 'tag').replaceAll('{digest12}', '0123456789ab');
  if (!TAG.test(sample))
    throw misconfigured(
      name,
      value,
      'a tag in which {tag} and {digest12} are substituted, such as {tag} or release-{digest12}',
    );
  return value;
}

/** An OCI tag (distribution spec): what a pattern must expand to. */
export const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

const SECONDS_PER_DAY = 86_400;
const SECONDS_PER_HOUR = 3_600;

function misconfigured(name: string, value: string, expected: string): PipelineError {
  return new PipelineError(
    'MISCONFIGURED',
    `${name} is ${JSON.stringify(value)}; expected ${expected}`,
    'input',
  );
}
