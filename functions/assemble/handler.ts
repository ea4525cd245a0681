import { assemblePlatform, type AssembleDeps } from '../../shared/pipeline/assemble';
import { stepHandler } from '../../shared/pipeline/step-handler';
import { AssembleInput } from '../../shared/pipeline/states';

/** The Assemble state: a platform's layer reports → its report and SBOMs in the store. */
export function assembleHandler(deps: AssembleDeps) {
  return stepHandler('Assemble', AssembleInput, (input) => assemblePlatform(input, deps));
}
