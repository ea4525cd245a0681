import { ENVIRONMENT_VARIABLES } from '../shared/handlers/environment-variables';
import { FUNCTION_ENVIRONMENT, type FunctionName } from '../shared/handlers/environment';

/** AWS and Powertools, as Lambda sets them; fake credentials, never used: nothing is called. */
const RUNTIME_ENV: Readonly<Record<string, string>> = {
  AWS_REGION: 'eu-west-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHFAKE0000000',
  AWS_SECRET_ACCESS_KEY: 'bench-fake',
  POWERTOOLS_SERVICE_NAME: 'bench',
  POWERTOOLS_METRICS_NAMESPACE: 'Clearance',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

/**
 * What function `name` reads at cold start in the bench: every variable its environment
 * contract declares, with the contract's sample value, so that the bench cannot drift from it.
 */
export function benchEnvironment(name: FunctionName): Record<string, string> {
  const variables = Object.keys(
    FUNCTION_ENVIRONMENT[name],
  ) as (keyof typeof ENVIRONMENT_VARIABLES)[];
  return {
    ...RUNTIME_ENV,
    ...Object.fromEntries(
      variables.map((key) => [ENVIRONMENT_VARIABLES[key].name, ENVIRONMENT_VARIABLES[key].sample]),
    ),
  };
}
