import { matchPlatform, type MatchDeps } from '../../shared/pipeline/match';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { MatchInput } from '../../shared/pipeline/states';

/** The Match state: a platform's report gains its vulnerabilities; counts and data version out. */
export function matchHandler(deps: MatchDeps) {
  return stepHandler('Match', MatchInput, (input) => matchPlatform(input, deps));
}
