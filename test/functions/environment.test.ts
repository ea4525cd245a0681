import { benchEnvironment } from '../../bench/function-env';
import {
  FUNCTION_ENVIRONMENT,
  FUNCTION_NAMES,
  type FunctionName,
} from '../../shared/handlers/environment';
import {
  ENVIRONMENT_VARIABLES,
  type VariableKey,
} from '../../shared/handlers/environment-variables';
import { coldStart } from '../support/cold-start';

/** The contract's sample of each variable `name` declares as required. */
function requiredOnly(name: FunctionName): Record<string, string> {
  return Object.fromEntries(
    Object.entries(FUNCTION_ENVIRONMENT[name])
      .filter(([, requirement]) => requirement === 'required')
      .map(([key]) => {
        const variable = ENVIRONMENT_VARIABLES[key as VariableKey];
        return [variable.name, variable.sample];
      }),
  );
}

describe('every entry', () => {
  describe.each(FUNCTION_NAMES)('%s', (name) => {
    it("starts with the variables its contract declares (bench/functions' environment)", () => {
      expect(typeof coldStart(name, benchEnvironment(name)).handler).toBe('function');
    });

    it('starts with only the variables its contract requires', () => {
      expect(typeof coldStart(name, requiredOnly(name)).handler).toBe('function');
    });
  });
});
