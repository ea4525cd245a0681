import { evaluatePlatform, type EvaluateDeps } from '../../shared/pipeline/evaluate';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { EvaluateInput } from '../../shared/pipeline/states';

/** The Evaluate state: signatures and the policy's verdict → the platform's `EvaluatedPlatform`. */
export function evaluateHandler(deps: EvaluateDeps) {
  return stepHandler('Evaluate', EvaluateInput, (input) => evaluatePlatform(input, deps));
}
