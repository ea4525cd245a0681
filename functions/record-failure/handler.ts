import { z } from 'zod';
import { recordFailure, type RecordFailureDeps } from '../../shared/pipeline/record-failure';
import { stepHandler } from '../../shared/pipeline/step-handler';

/**
 * The RecordFailure state: takes any input (a failure in Resolve has no scan id; the input may
 * be what was wrong), records `scan.failed` and hands NotifyOperations the failure.
 */
export function recordFailureHandler(deps: RecordFailureDeps) {
  return stepHandler('RecordFailure', z.unknown(), (input) => recordFailure(input, deps));
}
